import { useEffect, useState } from 'react';

/** Where the dashboard is: hash routes, so the server serves one page for all of them. */
export type Route =
  | { page: 'exams' }
  | { page: 'admin' }
  | { page: 'privacy' }
  | { page: 'exam'; examId: string }
  | { page: 'candidate'; examId: string; candidateId: string }
  | { page: 'report'; examId: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'admin') return { page: 'admin' };
  if (parts[0] === 'privacy') return { page: 'privacy' };
  if (parts[0] !== 'exams' || parts[1] === undefined) return { page: 'exams' };
  const examId = parts[1];
  if (parts[2] === 'candidates' && parts[3] !== undefined)
    return { page: 'candidate', examId, candidateId: parts[3] };
  if (parts[2] === 'report') return { page: 'report', examId };
  return { page: 'exam', examId };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'exams':
      return '#/';
    case 'admin':
      return '#/admin';
    case 'privacy':
      return '#/privacy';
    case 'exam':
      return `#/exams/${encodeURIComponent(route.examId)}`;
    case 'candidate':
      return `#/exams/${encodeURIComponent(route.examId)}/candidates/${encodeURIComponent(route.candidateId)}`;
    case 'report':
      return `#/exams/${encodeURIComponent(route.examId)}/report`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
