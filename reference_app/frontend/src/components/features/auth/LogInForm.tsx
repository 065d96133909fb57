import type { FormEvent } from "react";

import { useLogIn } from "../../../hooks/useAuth";
import { errorMessage } from "../../../lib/errors";
import { Alert } from "../../ui/Alert";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Input } from "../../ui/Input";

export function LogInForm({ onLoggedIn }: { onLoggedIn: () => void }) {
  const logIn = useLogIn();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    logIn.mutate(
      { email: String(form.get("email")), password: String(form.get("password")) },
      { onSuccess: onLoggedIn },
    );
  }

  return (
    <Card as="section">
      <h2>Log in</h2>
      <form className="stack" onSubmit={handleSubmit}>
        {logIn.isError && <Alert message={errorMessage(logIn.error)} />}
        <Input label="Email" name="email" type="email" autoComplete="email" required />
        <Input
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
        />
        <Button type="submit" disabled={logIn.isPending}>
          Log in
        </Button>
      </form>
    </Card>
  );
}
