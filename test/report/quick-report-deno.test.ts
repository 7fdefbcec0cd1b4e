// npm run report -- --quick --kernel deno: the checks of ./quick-reports.ts on the deno kernel's run
// (a file per kernel, so that the runner can run the two at once).
import { describeQuickReports } from "./quick-reports";

describeQuickReports("deno");
