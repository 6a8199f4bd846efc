// The baseline's whole UI: once the page is painted and can take input, tell
// the shell (`ui_ready`), as Appdeck's UI does from its first mounted screen.
// A frame then a task: the callback runs after the first paint.
const status = document.getElementById('status');
const invoke = (cmd, args) => window.__TAURI_INTERNALS__.invoke(cmd, args);

requestAnimationFrame(() => setTimeout(() => {
  invoke('ui_ready').then(
    (ms) => { status.textContent = `Ready ${ms} ms after start`; },
    (e) => { status.textContent = `ui_ready failed: ${e}`; },
  );
}, 0));

document.getElementById('ping').addEventListener('click', () => {
  invoke('ui_ready').then((ms) => { status.textContent = `Pong at ${ms} ms`; });
});
