// The operator API, as the dashboard uses it. The session cookie carries the ADMIN_TOKEN proof.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const response = await fetch(`/api${path}`, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) {
    // The session is gone (ADMIN_TOKEN rotated): the server shows the sign-in page.
    location.href = "/";
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const query = (params) => {
  const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== undefined && value !== ""));
  const text = search.toString();
  return text ? `?${text}` : "";
};
