import { describe, expect, it } from "vitest";
import { escapeHtml, html, raw } from "./escape-html.js";

describe("escapeHtml", () => {
  it("escapes the five characters that matter in content and quoted attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });

  it("leaves other text alone, including what is already an entity's text", () => {
    expect(escapeHtml("plain – text ✓")).toBe("plain – text ✓");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});

describe("html", () => {
  it("escapes every interpolated value", () => {
    const id = "<script>alert(1)</script>";
    expect(html`<td title="${id}">${id}</td>`.value).toBe(
      '<td title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</td>',
    );
  });

  it("keeps nested markup and raw constants as they are, and renders arrays item by item", () => {
    const items = ["a<b", "c"].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>${raw("&nbsp;")}`.value).toBe("<ul><li>a&lt;b</li><li>c</li></ul>&nbsp;");
  });

  it("renders nothing for null, undefined and false, and numbers as text", () => {
    expect(html`[${null}${undefined}${false}${0}${true}]`.value).toBe("[0true]");
  });
});
