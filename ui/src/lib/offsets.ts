/** The core reports byte offsets into the UTF-8 file; CodeMirror and JS strings count UTF-16 units. */
export function byteToUtf16(text: string, byteOffset: number): number {
  if (byteOffset <= 0) return 0;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) ?? 0;
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + width > byteOffset) return i;
    bytes += width;
    i += cp >= 0x10000 ? 2 : 1;
    if (bytes === byteOffset) return i;
  }
  return text.length;
}
