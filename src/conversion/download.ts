/** The browser's default "save this image": a temporary `<a download>` clicked. */
export function downloadWithLink(url: string, filename: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.click();
}
