/** Multipart bodies for `app.inject`, encoded by the platform's FormData as a real client would. */

/** A form's encoded body and its content type. */
export async function encodeForm(
  form: FormData,
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type')! },
  };
}

/** The fields tests read from API answers (each optional: a test asserts which are there). */
export interface ApiBody {
  code?: string;
  message?: string;
  details?: unknown;
  id?: string;
  namespace?: string;
  source?: string;
  revision?: number;
  total?: number;
  results?: Array<{ id: string }>;
  tasks?: Array<{ id: string; type: string }>;
  [key: string]: unknown;
}
