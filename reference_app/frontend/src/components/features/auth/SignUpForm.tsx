import type { FormEvent } from "react";

import { useSignUp } from "../../../hooks/useAuth";
import { errorMessage } from "../../../lib/errors";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Input } from "../../ui/Input";

const MIN_PASSWORD_LENGTH = 12;

export function SignUpForm({ onSignedUp }: { onSignedUp: () => void }) {
  const signUp = useSignUp();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signUp.mutate(
      {
        email: String(form.get("email")),
        password: String(form.get("password")),
        display_name: String(form.get("display_name")),
      },
      { onSuccess: onSignedUp },
    );
  }

  return (
    <Card as="section">
      <h2>Sign up</h2>
      <form className="stack" onSubmit={handleSubmit}>
        {signUp.isError && <Alert message={errorMessage(signUp.error)} />}
        <Input label="Name" name="display_name" autoComplete="nickname" required maxLength={100} />
        <Input label="Email" name="email" type="email" autoComplete="email" required />
        <Input
          label={`Password (at least ${MIN_PASSWORD_LENGTH} characters)`}
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          required
        />
        <Button type="submit" disabled={signUp.isPending}>
          Create account
        </Button>
      </form>
    </Card>
  );
}
