import type { Page, Post, PostInput } from "../../types/api";
import { api } from "./client";

export const POSTS_PAGE_SIZE = 20;

export function fetchPosts(offset = 0, limit = POSTS_PAGE_SIZE): Promise<Page<Post>> {
  return api.request<Page<Post>>(`/posts?limit=${limit}&offset=${offset}`);
}

export function fetchPost(postId: string): Promise<Post> {
  return api.request<Post>(`/posts/${encodeURIComponent(postId)}`);
}

export function createPost(input: PostInput): Promise<Post> {
  return api.request<Post>("/posts", { method: "POST", body: input });
}

export function updatePost(postId: string, changes: Partial<PostInput>): Promise<Post> {
  return api.request<Post>(`/posts/${encodeURIComponent(postId)}`, {
    method: "PATCH",
    body: changes,
  });
}

export function deletePost(postId: string): Promise<void> {
  return api.request<void>(`/posts/${encodeURIComponent(postId)}`, { method: "DELETE" });
}
