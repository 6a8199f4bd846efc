import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import type { ProjectInfo } from "./bindings/ProjectInfo";
import type { Backend } from "./api/backend";
import { BackendProvider, useBackend } from "./api/context";
import { toAppError, type AppError } from "./api/errors";
import { useLaunchProject, useOpenProject } from "./api/queries";
import { ErrorBox } from "./components/ErrorBox";
import { KeychainBanner } from "./components/KeychainBanner";
import { Header } from "./components/Header";
import { Nav, SCREENS, type ScreenId } from "./components/Nav";
import { EmptyState, Loading } from "./components/States";
import { StatusBar } from "./components/StatusBar";
import { AccountsScreen } from "./screens/accounts/AccountsScreen";
import { ApiScreen } from "./screens/api/ApiScreen";
import { InstallScreen } from "./screens/install/InstallScreen";
import { BufferProvider } from "./screens/manifest/bufferContext";
import { ManifestScreen } from "./screens/manifest/ManifestScreen";
import { PermissionsScreen } from "./screens/permissions/PermissionsScreen";
import { ProvidersScreen } from "./screens/providers/ProvidersScreen";
import { QaScreen } from "./screens/qa/QaScreen";
import { SandboxScreen } from "./screens/sandbox/SandboxScreen";
import { SecretStoreScreen } from "./screens/secrets/SecretStoreScreen";
import { SignaturesScreen } from "./screens/signatures/SignaturesScreen";

export function Providers({ backend, client, children }: { backend: Backend; client: QueryClient; children: ReactNode }) {
  return (
    <BackendProvider backend={backend}>
      <QueryClientProvider client={client}>
        <BufferProvider>{children}</BufferProvider>
      </QueryClientProvider>
    </BackendProvider>
  );
}

/** Extension manifests may be reported as names beside the base manifest or as full paths. */
function resolveIn(root: string, file: string): string {
  if (file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file)) return file;
  const sep = root.includes("\\") && !root.includes("/") ? "\\" : "/";
  return `${root.replace(/[\\/]$/, "")}${sep}${file}`;
}

export function App() {
  const backend = useBackend();
  const launch = useLaunchProject();
  const open = useOpenProject();
  const [chosen, setChosen] = useState<ProjectInfo | null>(null);
  const [screen, setScreen] = useState<ScreenId>("manifest");
  const [openError, setOpenError] = useState<AppError | null>(null);
  const project = chosen ?? launch.data ?? null;
  const [file, setFile] = useState<string | null>(null);
  const files = project ? [project.manifest_path, ...project.extensions.map((e) => resolveIn(project.root, e))] : [];
  const manifestPath = file !== null && files.includes(file) ? file : (project?.manifest_path ?? "");

  const openPath = (path: string) => {
    setOpenError(null);
    open.mutate(path, {
      onSuccess: (info) => {
        setChosen(info);
        setFile(null);
        setScreen("manifest");
      },
      onError: (e) => setOpenError(e),
    });
  };
  const openDialog = (directory: boolean) => {
    setOpenError(null);
    backend
      .openDialog({ directory })
      .then((path) => {
        if (path) openPath(path);
      })
      .catch((e: unknown) => setOpenError(toAppError(e)));
  };

  // Once, when the first screen is mounted: the shell logs startup time from it.
  useEffect(() => {
    backend.uiReady().catch(() => undefined);
  }, [backend]);

  const meta = SCREENS.find((s) => s.id === screen);
  let body: ReactNode;
  // Screens that work without a project come first.
  if (screen === "accounts") body = <AccountsScreen />;
  else if (screen === "sandbox") body = <SandboxScreen />;
  else if (screen === "install") body = <InstallScreen manifestPath={project?.manifest_path ?? ""} />;
  else if (screen === "secrets") body = <SecretStoreScreen />;
  else if (screen === "signatures") body = <SignaturesScreen />;
  else if (screen === "api") body = <ApiScreen manifestPath={project?.manifest_path ?? ""} />;
  else if (screen === "providers") body = <ProvidersScreen manifestPath={project?.manifest_path ?? ""} />;
  else if (screen === "qa") body = <QaScreen key={project?.manifest_path ?? ""} manifestPath={project?.manifest_path ?? ""} />;
  else if (launch.isPending && !chosen) body = <Loading label="Opening project…" />;
  else if (launch.isError && !chosen)
    body = <ErrorBox error={launch.error} title="Could not open the launch project" onRetry={() => void launch.refetch()} />;
  else if (!project)
    body = (
      <EmptyState title="No project open">
        <p className="muted">Open a Stripe App folder, or its stripe-app.json.</p>
        <div className="row-gap">
          <button type="button" className="btn btn-primary" onClick={() => openDialog(true)}>
            Open folder…
          </button>
          <button type="button" className="btn" onClick={() => openDialog(false)}>
            Open stripe-app.json…
          </button>
        </div>
      </EmptyState>
    );
  else if (screen === "permissions") body = <PermissionsScreen key={project.manifest_path} path={project.manifest_path} />;
  else
    body = (
      <ManifestScreen
        key={manifestPath}
        path={manifestPath}
        files={files}
        onSelectFile={setFile}
        onManagePermissions={() => setScreen("permissions")}
      />
    );

  return (
    <div className="app">
      <Nav active={screen} onSelect={setScreen} />
      <div className="main-col">
        <Header project={project} opening={open.isPending} onOpenPath={openPath} onOpenDialog={openDialog} />
        {openError && (
          <div className="dismissible header-error">
            <ErrorBox error={openError} title="Could not open the project" compact />
            <button type="button" className="btn-icon" aria-label="Dismiss error" onClick={() => setOpenError(null)}>
              ×
            </button>
          </div>
        )}
        <KeychainBanner />
        <main className="content" id="content" tabIndex={-1}>
          <h1 className="sr-only">{meta?.label ?? "Appdeck"}</h1>
          {body}
        </main>
        <StatusBar note={project ? `${project.extensions.length} extension manifest${project.extensions.length === 1 ? "" : "s"}` : undefined} />
      </div>
    </div>
  );
}
