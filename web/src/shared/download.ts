// Saving a blob the app fetched itself (with the bearer token, which a plain link would not carry)
// under a name of our choosing: used for case files, license and bill PDFs.
export async function saveBlob(blob: Blob, name: string): Promise<void> {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
