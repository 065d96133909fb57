import { useCurrentUser } from "../../../hooks/useAuth";
import { useComments, useDeleteComment } from "../../../hooks/useComments";
import { errorMessage } from "../../../lib/errors";
import { formatDate } from "../../../lib/format";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Spinner } from "../../ui/Spinner";

export function CommentList({ postId, postAuthorId }: { postId: string; postAuthorId: string }) {
  const comments = useComments(postId);
  const currentUser = useCurrentUser();
  const deleteComment = useDeleteComment(postId);

  if (comments.isPending) {
    return <Spinner label="Loading comments…" />;
  }
  if (comments.isError) {
    return <Alert message={errorMessage(comments.error)} />;
  }
  const userId = currentUser.data?.id;
  return (
    <section className="stack">
      <h2>Comments ({comments.data.total})</h2>
      {deleteComment.isError && <Alert message={errorMessage(deleteComment.error)} />}
      {comments.data.items.map((comment) => (
        <Card key={comment.id}>
          <p className="muted">
            {comment.author_name} · {formatDate(comment.created_at)}
          </p>
          <p style={{ whiteSpace: "pre-wrap" }}>{comment.body}</p>
          {userId !== undefined && (userId === comment.author_id || userId === postAuthorId) && (
            <Button
              variant="secondary"
              disabled={deleteComment.isPending}
              onClick={() => deleteComment.mutate(comment.id)}
            >
              Delete
            </Button>
          )}
        </Card>
      ))}
    </section>
  );
}
