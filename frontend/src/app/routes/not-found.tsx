import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <section>
      <h2>Not found</h2>
      <p>
        <Link to="/markets">Back to markets</Link>
      </p>
    </section>
  );
}
