import { GrafanaDouble } from "./grafana-double";
const d = await new GrafanaDouble().start();
console.log(d.url);
setTimeout(() => { console.error("writes", d.writes().length, "versions", [...d.dashboards.values()].map((x) => x.version).join(",")); void d.stop(); }, 12000);
