import { QueryClient } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, Providers } from "./App";
import { createBackend } from "./api/select";
import "./styles.css";

// Start-up milestones, read by the start-up benchmark (performance.getEntriesByType("mark")).
performance.mark("appdeck:script");

const client = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false },
  },
});

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from index.html");

createRoot(root).render(
  <StrictMode>
    <Providers backend={createBackend()} client={client}>
      <App />
    </Providers>
  </StrictMode>,
);
