"""The `kestra` module of Windhover's script tasks (standard library only).

It speaks the protocol of Kestra's script tasks, like the `kestra` package on PyPI: each
call prints one line `::{...}::` that the task reads instead of logging it.

    from kestra import Kestra

    Kestra.outputs({"rows": 42})            # outputs.<task>.vars.rows
    Kestra.counter("rows", 42, {"table": "trips"})
    Kestra.timer("load", 1.25)              # seconds
    Kestra.timer("load", lambda: do_work())  # times the call
    Kestra.logger().info("hello")           # a log line at INFO

Windhover puts this folder on PYTHONPATH, so flows written for Kestra import it unchanged.
"""

import json
import logging
import sys
import time
from typing import Any, Callable, Dict, Optional, Union

__all__ = ["Kestra", "LogFormatter"]


class Kestra:
    """Sends outputs, metrics and logs to the task that runs the script."""

    _logger: Optional[logging.Logger] = None

    @staticmethod
    def format(map_: Dict[str, Any]) -> str:
        """The protocol line of a message: `::` + JSON + `::`, on one line."""
        text = json.dumps(map_, default=str)
        # JSON allows these in strings, but line splitters may break lines at them.
        for char in ("\u0085", "\u2028", "\u2029"):
            text = text.replace(char, "\\u%04x" % ord(char))
        return "::" + text + "::"

    @staticmethod
    def _send(map_: Dict[str, Any]) -> None:
        print(Kestra.format(map_), flush=True)

    @staticmethod
    def _metrics(name: str, type_: str, value: Union[int, float], tags: Optional[Dict[str, Any]] = None) -> None:
        Kestra._send({"metrics": [{"name": name, "type": type_, "value": value, "tags": tags or {}}]})

    @staticmethod
    def outputs(map_: Dict[str, Any]) -> None:
        """Adds values to the task's `vars` output (read as `outputs.<task>.vars.<key>`)."""
        Kestra._send({"outputs": map_})

    @staticmethod
    def counter(name: str, value: Union[int, float], tags: Optional[Dict[str, Any]] = None) -> None:
        """Sends a counter metric."""
        Kestra._metrics(name, "counter", value, tags)

    @staticmethod
    def timer(
        name: str,
        duration: Union[int, float, Callable[[], Any]],
        tags: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Sends a timer metric in seconds; given a callable, calls it and times the call."""
        if callable(duration):
            start = time.perf_counter()
            duration()
            Kestra._metrics(name, "timer", time.perf_counter() - start, tags)
        else:
            Kestra._metrics(name, "timer", duration, tags)

    @staticmethod
    def logger() -> logging.Logger:
        """A logger whose records become task log lines at their level.

        DEBUG and INFO go to standard output, WARNING and above to standard error, each as a
        protocol line, so the task logs them at the record's level and not as plain output.
        """
        if Kestra._logger is not None:
            return Kestra._logger
        logger = logging.getLogger("Kestra")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False

        stdout = logging.StreamHandler(sys.stdout)
        stdout.setLevel(logging.DEBUG)
        stdout.addFilter(lambda record: record.levelno <= logging.INFO)
        stdout.setFormatter(LogFormatter())

        stderr = logging.StreamHandler(sys.stderr)
        stderr.setLevel(logging.WARNING)
        stderr.setFormatter(LogFormatter())

        logger.addHandler(stdout)
        logger.addHandler(stderr)
        Kestra._logger = logger
        return logger


class LogFormatter(logging.Formatter):
    """Formats a log record as a `::{"logs": [...]}::` line."""

    LEVELS = {
        logging.NOTSET: "TRACE",
        logging.DEBUG: "DEBUG",
        logging.INFO: "INFO",
        logging.WARNING: "WARN",
        logging.ERROR: "ERROR",
        logging.CRITICAL: "ERROR",
    }

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message = message + "\n" + self.formatException(record.exc_info)
        level = LogFormatter.LEVELS.get(record.levelno)
        if level is None:
            level = "ERROR" if record.levelno >= logging.ERROR else "WARN" if record.levelno >= logging.WARNING else "INFO" if record.levelno >= logging.INFO else "DEBUG"
        return Kestra.format({"logs": [{"level": level, "message": message}]})
