// The campaign list, checked off the page's thread: the core's prepareCampaign
// reads and validates the whole list here in one call, and the page asks only for
// what it shows (the summary, a page of rows, one row's payload), so that a list of
// 100,000 rows never crosses to the page at once and the page never freezes.
import { prepareCampaign } from './wasend/campaigns-browser.js';

let list = { rows: [] };
let prepared = null;
let issuesByRow = new Map();

const ops = {
  prepare({ text, definition, options }) {
    // One reading of the list: the verdicts and the cells shown beside them.
    prepared = prepareCampaign(text, definition, { ...options, cells: true });
    list = prepared.cells;
    issuesByRow = new Map();
    for (const i of prepared.issues) {
      if (!i.row) continue;
      if (!issuesByRow.has(i.row)) issuesByRow.set(i.row, []);
      issuesByRow.get(i.row).push(i);
    }
    return {
      summary: prepared.summary,
      columns: prepared.columns,
      listIssues: prepared.issues.filter((i) => !i.row),
      skipped: prepared.skipped,
      rowsWithErrors: issuesByRow.size,
    };
  },
  page({ offset, limit, errorsOnly }) {
    if (!prepared) return { total: 0, rows: [] };
    const rows = errorsOnly ? prepared.rows.filter((r) => r.status !== 'ready') : prepared.rows;
    return {
      total: rows.length,
      rows: rows.slice(offset, offset + limit).map((r) => ({
        row: r.row, line: r.line, to: r.to, status: r.status, of: r.of,
        cells: list.rows?.[r.row - 1]?.cells ?? [],
        issues: issuesByRow.get(r.row) ?? [],
      })),
    };
  },
  row({ row }) {
    return prepared?.rows[row - 1] ?? null;
  },
};

self.onmessage = ({ data: { id, op, args } }) => {
  try {
    self.postMessage({ id, ok: true, result: ops[op](args) });
  } catch (e) {
    self.postMessage({ id, ok: false, error: String(e?.message ?? e) });
  }
};
