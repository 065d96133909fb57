import type { FormEvent } from "react";

import { useCreateComment } from "../../../hooks/useComments";
import { errorMessage } from "../../../lib/errors";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { TextArea } from "../../ui/TextArea";

export function CommentForm({ postId }: { postId: string }) {
  const createComment = useCreateComment(postId);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const body = String(new FormData(formElement).get("body"));
    createComment.mutate({ body }, { onSuccess: () => formElement.reset() });
  }

  return (
    <form className="stack" onSubmit={handleSubmit}>
      {createComment.isError && <Alert message={errorMessage(createComment.error)} />}
      <TextArea label="Add a comment" name="body" rows={3} required maxLength={5000} />
      <Button type="submit" disabled={createComment.isPending}>
        Comment
      </Button>
    </form>
  );
}
