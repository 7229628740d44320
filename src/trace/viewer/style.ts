/** The timeline page's stylesheet (inlined: the page makes no requests). */
export const VIEWER_CSS = String.raw`
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329; background: #f6f7f9;
  display: flex; flex-direction: column; }
header { padding: 8px 14px 6px; background: #fff; border-bottom: 1px solid #dde1e6; }
header h1 { font-size: 16px; margin: 0 0 2px; }
#meta { color: #5b6770; font-size: 12px; }
#violation-banner { margin-top: 6px; padding: 5px 10px; border-radius: 4px; background: #fdecea; border: 1px solid #f5b7b1;
  color: #8e1b12; cursor: pointer; }
#violation-banner b { color: #c62828; }
#violation-banner.none { background: #eaf6ec; border-color: #b7dfbf; color: #1f6b33; cursor: default; }
nav { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 14px; background: #fff; border-bottom: 1px solid #dde1e6; }
nav button { font: inherit; padding: 2px 10px; border: 1px solid #b9c0c8; border-radius: 4px; background: #f3f5f7; cursor: pointer; }
nav button:hover { background: #e7ebef; }
nav label { color: #3c4650; }
nav select { font: inherit; }
#legend { display: flex; flex-wrap: wrap; gap: 10px; margin-left: auto; font-size: 12px; color: #3c4650; }
#legend span { display: inline-flex; align-items: center; gap: 4px; }
#legend i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; border: 1px solid rgba(0,0,0,.25); }
main { flex: 1; display: flex; min-height: 0; }
#scroller { flex: 1; display: flex; overflow-y: auto; overflow-x: hidden; min-width: 0; background: #fff; }
#labels { width: 150px; flex: none; border-right: 1px solid #dde1e6; background: #fafbfc; }
#labels .axis-spacer { border-bottom: 1px solid #dde1e6; }
.track-label { padding: 4px 8px; border-bottom: 1px solid #eceff2; font-weight: 600; overflow: hidden; white-space: nowrap; }
.track-label small { display: block; font-weight: 400; color: #6b7680; font-size: 11px; }
.track-label[data-track-kind="irq"] { color: #8a4b08; }
.track-label[data-track-kind="vmm"] { color: #37474f; }
#stage { position: relative; flex: 1; min-width: 0; cursor: grab; }
#stage.dragging { cursor: grabbing; }
#stage canvas { display: block; }
#markers { position: absolute; inset: 0; pointer-events: none; }
.violation-marker { position: absolute; transform: translateX(-50%); pointer-events: auto; cursor: pointer; padding: 1px 6px;
  border-radius: 3px; background: #c62828; color: #fff; font-size: 11px; font-weight: 700; white-space: nowrap;
  box-shadow: 0 0 0 3px rgba(198,40,40,.25); }
aside { width: 330px; flex: none; overflow-y: auto; background: #fff; border-left: 1px solid #dde1e6; padding: 8px 12px; }
aside h2 { font-size: 13px; margin: 10px 0 4px; color: #37474f; text-transform: uppercase; letter-spacing: .04em; }
#details h3 { font-size: 14px; margin: 2px 0 6px; }
#details table { border-collapse: collapse; width: 100%; font-size: 12px; }
#details td { padding: 2px 4px; border-bottom: 1px solid #f0f2f4; vertical-align: top; word-break: break-word; }
#details td:first-child { color: #6b7680; white-space: nowrap; width: 1%; }
#details td.reg { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
#details .message { padding: 6px 8px; background: #fdecea; border-left: 3px solid #c62828; margin-bottom: 6px; }
ol.steps, ol#violations { margin: 4px 0; padding-left: 20px; font-size: 12px; }
ol.steps li, ol#violations li { cursor: pointer; padding: 1px 0; }
ol.steps li:hover, ol#violations li:hover { text-decoration: underline; }
ol.steps li.bad, ol#violations li { color: #b71c1c; }
ol#violations li.first { font-weight: 700; }
ol#violations li.none { color: #6b7680; list-style: none; cursor: default; }
.hint { color: #6b7680; font-size: 12px; }
`;
