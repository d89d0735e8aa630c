/**
 * The browser's default "save this image": a temporary `<a download>` clicked.
 * It is attached while clicked (under `parent`: the element's shadow root), as
 * Firefox saves only from a link in the document, and so the page sees the click.
 */
export function downloadWithLink(
  url: string,
  filename: string,
  parent: Node = document.body,
): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.hidden = true;
  parent.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
  }
}
