import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from "react";
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
import { BufferProvider } from "./screens/manifest/bufferContext";
import { ManifestScreen } from "./screens/manifest/ManifestScreen";

// The manifest screen opens first; every other screen is its own chunk,
// loaded when first shown, so start-up parses only what the first paint needs.
const AccountsScreen = lazy(() => import("./screens/accounts/AccountsScreen").then((m) => ({ default: m.AccountsScreen })));
const ApiScreen = lazy(() => import("./screens/api/ApiScreen").then((m) => ({ default: m.ApiScreen })));
const InstallScreen = lazy(() => import("./screens/install/InstallScreen").then((m) => ({ default: m.InstallScreen })));
const PermissionsScreen = lazy(() => import("./screens/permissions/PermissionsScreen").then((m) => ({ default: m.PermissionsScreen })));
const ProvidersScreen = lazy(() => import("./screens/providers/ProvidersScreen").then((m) => ({ default: m.ProvidersScreen })));
const QaScreen = lazy(() => import("./screens/qa/QaScreen").then((m) => ({ default: m.QaScreen })));
const SandboxScreen = lazy(() => import("./screens/sandbox/SandboxScreen").then((m) => ({ default: m.SandboxScreen })));
const SecretStoreScreen = lazy(() => import("./screens/secrets/SecretStoreScreen").then((m) => ({ default: m.SecretStoreScreen })));
const SignaturesScreen = lazy(() => import("./screens/signatures/SignaturesScreen").then((m) => ({ default: m.SignaturesScreen })));

export function Providers({ backend, client, children }: { backend: Backend; client: QueryClient; children: ReactNode }) {
  return (
    <BackendProvider backend={backend}>
      <QueryClientProvider client={client}>
        <BufferProvider>{children}</BufferProvider>
      </QueryClientProvider>
    </BackendProvider>
  );
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
  const files = project ? [project.manifest_path, ...project.extensions] : [];
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

  // Once, at the first paint of the main screen with its content (the manifest
  // in its editor, the project picker, or the reason it could not open): the
  // shell logs start-up time from it.
  const reported = useRef(false);
  const painted = useCallback(() => {
    if (reported.current) return;
    reported.current = true;
    performance.mark("appdeck:content");
    requestAnimationFrame(() => {
      performance.mark("appdeck:painted");
      backend.uiReady().catch(() => undefined);
    });
  }, [backend]);
  useEffect(() => {
    if (launch.isError || (launch.isSuccess && launch.data === null)) painted();
  }, [launch.isError, launch.isSuccess, launch.data, painted]);

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
        onPainted={painted}
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
          <Suspense fallback={<Loading label="Loading…" />}>{body}</Suspense>
        </main>
        <StatusBar note={project ? `${project.extensions.length} extension manifest${project.extensions.length === 1 ? "" : "s"}` : undefined} />
      </div>
    </div>
  );
}
