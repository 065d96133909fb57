// The API's resources and inputs, as the backend's schemas (blog/validators) define them.

export interface User {
  id: string;
  email: string;
  display_name: string;
  created_at: string;
}

export interface Post {
  id: string;
  author_id: string;
  author_name: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface Comment {
  id: string;
  post_id: string;
  author_id: string;
  author_name: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface AccessTokenResponse {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface SignUpInput {
  email: string;
  password: string;
  display_name: string;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface PostInput {
  title: string;
  body: string;
}

export interface CommentInput {
  body: string;
}
