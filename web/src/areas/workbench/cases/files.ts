// Downloading a case file through the files API (the bearer token rides on the request, so a plain
// link cannot be used): fetch as a blob, then hand it to the browser under its own name.
import { api, unwrap } from '../../../api/client';
import { saveBlob } from '../../../shared/download';

export async function downloadFile(id: string, fallbackName: string): Promise<void> {
  const r = await api.GET('/api/files/{id}', { params: { path: { id }, query: { disposition: 'attachment' } }, parseAs: 'blob' });
  const blob = await unwrap(Promise.resolve(r)) as unknown as Blob;
  const cd = r.response.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  await saveBlob(blob, m ? decodeURIComponent(m[1]!) : fallbackName);
}
