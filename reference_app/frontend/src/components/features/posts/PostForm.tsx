import type { FormEvent } from "react";

import { errorMessage } from "../../../lib/errors";
import type { PostInput } from "../../../types/api";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { Input } from "../../ui/Input";
import { TextArea } from "../../ui/TextArea";

export interface PostFormProps {
  initial?: PostInput;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: PostInput) => void;
}

export function PostForm({ initial, submitLabel, pending, error, onSubmit }: PostFormProps) {
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit({ title: String(form.get("title")), body: String(form.get("body")) });
  }

  return (
    <form className="stack" onSubmit={handleSubmit}>
      {error !== null && error !== undefined && <Alert message={errorMessage(error)} />}
      <Input label="Title" name="title" defaultValue={initial?.title} required maxLength={200} />
      <TextArea label="Text" name="body" defaultValue={initial?.body} required rows={12} />
      <Button type="submit" disabled={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}
