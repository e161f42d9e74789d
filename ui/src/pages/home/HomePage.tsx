/**
 * The home page at `/`: executions of the last 7 days (or 24 hours) by state, failures of the
 * last 24 hours with their first error line, what runs and waits now, the next scheduled
 * fires and the slowest flows. Every number is counted by the server (the store's SQL or a
 * short page), so the page stays fast with any number of executions; it asks again every few
 * seconds.
 */
import { useEffect, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import '../executions/executions-list.css';
import { HomeTimeline } from './HomeTimeline';
import { ActiveCard, FailuresCard, NextFiresCard, SlowestCard } from './HomeSections';
import { lastDayStart, timelineWindow } from './homeWindow';
import { LIVE_MS } from './live';
import './home.css';

/** The page's clock, ticking with the polls (relative times and running durations move). */
function useTick(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), LIVE_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export default function HomePage() {
  const now = useTick();
  const [interval, setTimelineInterval] = useState<'day' | 'hour'>('day');
  const week = timelineWindow('day', now);
  return (
    <div className="page home" data-testid="home-page">
      <PageHeader title="Home" />
      <HomeTimeline interval={interval} onInterval={setTimelineInterval} now={now} />
      <div className="home-grid">
        <FailuresCard since={lastDayStart(now)} />
        <ActiveCard now={now} />
        <NextFiresCard now={now} />
        <SlowestCard startDate={week.startDate} endDate={week.endDate} />
      </div>
    </div>
  );
}
