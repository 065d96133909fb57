import type { ReactNode } from "react";

export interface CardProps {
  children: ReactNode;
  as?: "article" | "section" | "div";
}

export function Card({ children, as: Element = "div" }: CardProps) {
  return <Element className="card">{children}</Element>;
}
