// npm run report -- --quick --pdf --kernel tslab: the checks of ./quick-reports.ts on the tslab kernel's run
// (a file per kernel, so that the runner can run the two at once).
import { describeQuickReports } from "./quick-reports";

describeQuickReports("tslab");
