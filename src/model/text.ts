// Text from outside (titles, server bodies, file contents) printed on one line of output.

/** Control characters (newlines, ANSI escapes) as visible escapes, so text cannot forge output lines. */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case "\n": return "\\n";
      case "\r": return "\\r";
      case "\t": return "\\t";
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}
