// React Query cache keys, in one place so that mutations invalidate the right queries.
export const queryKeys = {
  session: ["session"] as const,
  currentUser: ["users", "me"] as const,
  posts: ["posts"] as const,
  postPage: (offset: number) => ["posts", "page", offset] as const,
  post: (postId: string) => ["posts", postId] as const,
  comments: (postId: string) => ["posts", postId, "comments"] as const,
};
