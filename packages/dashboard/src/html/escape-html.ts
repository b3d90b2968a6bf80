const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML, in element content and in quoted attributes alike.
 * @example
 * escapeHtml('<script>alert("x")</script>'); // "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string);
}

/**
 * Markup that is already safe: produced by `html` or `raw`, never by interpolating user data as-is.
 * @example
 * const cell: SafeHtml = html`<td>${name}</td>`; cell.value; // the markup as a string
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What `html` interpolates: safe markup as-is; text, numbers and arrays of these escaped. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * A tagged template for markup: every interpolated value is escaped unless it is `SafeHtml` (the result
 * of another `html` or of `raw`); `null`, `undefined` and `false` render nothing, arrays render each item.
 * @example
 * html`<td>${run.id}</td>`.value; // the id escaped, whatever it contains
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) out += render(values[i] as HtmlValue) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/**
 * Marks trusted markup as safe (constant strings written in this package, never data).
 * @example
 * html`<p>${raw("&nbsp;")}</p>`;
 */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
