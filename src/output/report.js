"use strict";
document.documentElement.dataset.js = "ready";
for (const table of document.querySelectorAll("table.sortable")) {
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, col) => th.querySelector("button").addEventListener("click", () => {
    const up = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach(h => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    const num = th.dataset.type === "num";
    const key = row => { const c = row.cells[col]; const v = c.dataset.v ?? c.textContent; return num ? Number(v) : v; };
    const body = table.tBodies[0];
    const rows = [...body.rows].map(r => [key(r), r]);
    rows.sort((a, b) => (num ? a[0] - b[0] : a[0].localeCompare(b[0], undefined, { numeric: true })) * (up ? 1 : -1));
    body.append(...rows.map(r => r[1]));
  }));
}
const openTarget = () => { const t = location.hash && document.getElementById(location.hash.slice(1)); if (t && t.tagName === "DETAILS") t.open = true; };
window.addEventListener("hashchange", openTarget);
openTarget();
const setAll = open => { for (const d of document.querySelectorAll("details.thread")) d.open = open; };
document.getElementById("expand-all")?.addEventListener("click", () => setAll(true));
document.getElementById("collapse-all")?.addEventListener("click", () => setAll(false));
