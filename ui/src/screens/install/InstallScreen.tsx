import { RecordToggle } from "../qa/RecordToggle";
import { InstallLinks } from "./InstallLinks";
import { InstallRun } from "./InstallRun";
import { InstallsList } from "./InstallsList";

/** Install the open manifest's app into a sandbox account the way a user would, and hold its tokens. */
export function InstallScreen({ manifestPath }: { manifestPath: string }) {
  return (
    <div className="screen">
      {manifestPath === "" && (
        <div className="banner banner-info" role="status">
          No project is open: links and flows use the app the shell registered at launch.
        </div>
      )}
      <RecordToggle />
      <InstallRun manifestPath={manifestPath} />
      <InstallsList />
      <InstallLinks manifestPath={manifestPath} />
    </div>
  );
}
