// The fetch wrapper every API call goes through.
//
// - credentials: "include", so the browser sends the refresh cookie to /api/v1/sessions;
// - the access token, kept in memory by the session store, in the Authorization header;
// - on a 401, one refresh through the cookie (PUT /sessions/current), then the request
//   again; concurrent 401s share that one refresh.

import type { SessionStore } from "../../stores/session";
import { sessionStore } from "../../stores/session";
import type { AccessTokenResponse, ApiErrorBody } from "../../types/api";
import { ApiError } from "../errors";

const API_BASE_URL = "/api/v1";
const CURRENT_SESSION_PATH = "/sessions/current";

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  refreshSession(): Promise<boolean>;
}

export function createApiClient(session: SessionStore, baseUrl = API_BASE_URL): ApiClient {
  let pendingRefresh: Promise<boolean> | null = null;

  function send(path: string, options: RequestOptions): Promise<Response> {
    const headers = new Headers({ Accept: "application/json" });
    if (options.body !== undefined) {
      headers.set("Content-Type", "application/json");
    }
    const accessToken = session.getAccessToken();
    if (accessToken !== null) {
      headers.set("Authorization", `Bearer ${accessToken}`);
    }
    return fetch(`${baseUrl}${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "include",
      signal: options.signal,
    });
  }

  async function refresh(): Promise<boolean> {
    const response = await fetch(`${baseUrl}${CURRENT_SESSION_PATH}`, {
      method: "PUT",
      credentials: "include",
    });
    if (!response.ok) {
      session.setAccessToken(null);
      return false;
    }
    const body = (await response.json()) as AccessTokenResponse;
    session.setAccessToken(body.access_token);
    return true;
  }

  function refreshSession(): Promise<boolean> {
    pendingRefresh ??= refresh().finally(() => {
      pendingRefresh = null;
    });
    return pendingRefresh;
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    let response = await send(path, options);
    const isSessionCall = path.startsWith("/sessions");
    if (response.status === 401 && !isSessionCall && (await refreshSession())) {
      response = await send(path, options);
    }
    if (!response.ok) {
      throw await toApiError(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }

  return { request, refreshSession };
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const { error } = (await response.json()) as ApiErrorBody;
    return new ApiError(response.status, error.code, error.message, error.details);
  } catch {
    return new ApiError(response.status, "http_error", response.statusText);
  }
}

export const api = createApiClient(sessionStore);
