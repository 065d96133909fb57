import { useNavigate } from "react-router-dom";

import { SignUpForm } from "../../components/features/auth/SignUpForm";

export function SignUpPage() {
  const navigate = useNavigate();
  return <SignUpForm onSignedUp={() => navigate("/login")} />;
}
