function renderLoginPage(problem) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in \xB7 Clerk Webhook Bridge</title>
<link rel="icon" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="login">
<form class="login-card" method="post" action="/login">
  <div class="brand"><img src="/assets/favicon.svg" alt="" width="28" height="28"><span>Clerk Webhook Bridge</span></div>
  <p class="muted">This bridge is protected by <code>ADMIN_TOKEN</code>. Paste it to open the dashboard.</p>
  ${problem ? `<p class="form-error" role="alert">${escapeHtml(problem)}</p>` : ""}
  <label for="token">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  <button type="submit" class="primary">Sign in</button>
</form>
</body>
</html>`;
}
function renderLoopbackOnlyPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboard not available \xB7 Clerk Webhook Bridge</title>
<link rel="icon" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body class="login">
<main class="login-card">
  <div class="brand"><img src="/assets/favicon.svg" alt="" width="28" height="28"><span>Clerk Webhook Bridge</span></div>
  <p role="alert">This dashboard is only served on the bridge's own machine, because <code>ADMIN_TOKEN</code> is not set.</p>
  <p class="muted">Set <code>ADMIN_TOKEN</code> (a long random string, for example <code>openssl rand -hex 32</code>) and restart the bridge to open it to the network behind a sign-in.</p>
</main>
</body>
</html>`;
}
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
export {
  renderLoginPage,
  renderLoopbackOnlyPage
};
