import { sessionStore } from "../../stores/session";
import type { AccessTokenResponse, Credentials, SignUpInput, User } from "../../types/api";
import { api } from "./client";

export function signUp(input: SignUpInput): Promise<User> {
  return api.request<User>("/users", { method: "POST", body: input });
}

export async function logIn(credentials: Credentials): Promise<void> {
  const token = await api.request<AccessTokenResponse>("/sessions", {
    method: "POST",
    body: credentials,
  });
  sessionStore.setAccessToken(token.access_token);
}

export async function logOut(): Promise<void> {
  try {
    await api.request<void>("/sessions/current", { method: "DELETE" });
  } finally {
    sessionStore.setAccessToken(null);
  }
}

/** After a reload: a new access token from the refresh cookie, if there is a session. */
export function restoreSession(): Promise<boolean> {
  return api.refreshSession();
}

export function fetchCurrentUser(): Promise<User> {
  return api.request<User>("/users/me");
}
