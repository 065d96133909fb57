import { useState } from "react";

import { useCurrentUser } from "../../../hooks/useAuth";
import { useDeletePost, usePost, useUpdatePost } from "../../../hooks/usePosts";
import { errorMessage } from "../../../lib/errors";
import { formatDate } from "../../../lib/format";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Spinner } from "../../ui/Spinner";
import { PostForm } from "./PostForm";

export function PostDetail({ postId, onDeleted }: { postId: string; onDeleted: () => void }) {
  const post = usePost(postId);
  const currentUser = useCurrentUser();
  const updatePost = useUpdatePost(postId);
  const deletePost = useDeletePost(postId);
  const [editing, setEditing] = useState(false);

  if (post.isPending) {
    return <Spinner />;
  }
  if (post.isError) {
    return <Alert message={errorMessage(post.error)} />;
  }
  const { title, body, author_id, author_name, created_at } = post.data;
  const isAuthor = currentUser.data?.id === author_id;

  if (editing) {
    return (
      <Card as="section">
        <PostForm
          initial={{ title, body }}
          submitLabel="Save"
          pending={updatePost.isPending}
          error={updatePost.error}
          onSubmit={(changes) => updatePost.mutate(changes, { onSuccess: () => setEditing(false) })}
        />
      </Card>
    );
  }
  return (
    <Card as="article">
      <h1>{title}</h1>
      <p className="muted">
        {author_name} · {formatDate(created_at)}
      </p>
      <p style={{ whiteSpace: "pre-wrap" }}>{body}</p>
      {deletePost.isError && <Alert message={errorMessage(deletePost.error)} />}
      {isAuthor && (
        <div className="row">
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button
            variant="danger"
            disabled={deletePost.isPending}
            onClick={() => deletePost.mutate(undefined, { onSuccess: onDeleted })}
          >
            Delete
          </Button>
        </div>
      )}
    </Card>
  );
}
