import { useCreatePost } from "../../../hooks/usePosts";
import type { Post } from "../../../types/api";
import { Card } from "../../ui/Card";
import { PostForm } from "./PostForm";

export function NewPost({ onCreated }: { onCreated: (post: Post) => void }) {
  const createPost = useCreatePost();
  return (
    <Card as="section">
      <h2>New post</h2>
      <PostForm
        submitLabel="Publish"
        pending={createPost.isPending}
        error={createPost.error}
        onSubmit={(input) => createPost.mutate(input, { onSuccess: onCreated })}
      />
    </Card>
  );
}
