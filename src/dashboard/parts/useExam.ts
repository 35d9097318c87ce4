import { useEffect, useState } from 'react';

import { api, ApiError, type ExamSummary } from '../api';

import { handleFailure } from './ErrorNote';

/** The exam a page is about, from the staff member's own list (so access is the server's). */
export function useExam(examId: string, onSignedOut: () => void, version = 0) {
  const [exam, setExam] = useState<ExamSummary | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api.exams().then(
      ({ exams }) => {
        const found = exams.find((candidate) => candidate.id === examId);
        if (found) setExam(found);
        else setError(new ApiError(404, 'not-found', 'No such exam.'));
      },
      handleFailure(onSignedOut, setError),
    );
  }, [examId, onSignedOut, version]);
  return { exam, error };
}
