import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
}

const variantClass: Record<Variant, string> = {
  primary: "button",
  secondary: "button button-secondary",
  danger: "button button-danger",
};

export function Button({ variant = "primary", type = "button", className, ...props }: ButtonProps) {
  const classes = className ? `${variantClass[variant]} ${className}` : variantClass[variant];
  return <button type={type} className={classes} {...props} />;
}
