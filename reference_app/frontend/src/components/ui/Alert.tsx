export interface AlertProps {
  message: string;
}

export function Alert({ message }: AlertProps) {
  return (
    <div role="alert" className="alert">
      {message}
    </div>
  );
}
