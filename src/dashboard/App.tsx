/** The invigilator and admin UI; its screens arrive with the dashboard issue. */
export function App() {
  return (
    <main>
      <h1>Vakt</h1>
      <p>Invigilator dashboard. Staff sign-in opens here once the staff API is in place.</p>
    </main>
  );
}
