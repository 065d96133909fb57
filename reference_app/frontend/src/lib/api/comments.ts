import type { Comment, CommentInput, Page } from "../../types/api";
import { api } from "./client";

function commentsPath(postId: string): string {
  return `/posts/${encodeURIComponent(postId)}/comments`;
}

export function fetchComments(postId: string, offset = 0, limit = 100): Promise<Page<Comment>> {
  return api.request<Page<Comment>>(`${commentsPath(postId)}?limit=${limit}&offset=${offset}`);
}

export function createComment(postId: string, input: CommentInput): Promise<Comment> {
  return api.request<Comment>(commentsPath(postId), { method: "POST", body: input });
}

export function deleteComment(postId: string, commentId: string): Promise<void> {
  return api.request<void>(`${commentsPath(postId)}/${encodeURIComponent(commentId)}`, {
    method: "DELETE",
  });
}
