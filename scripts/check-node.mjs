/* global console, process */
// Runs before `npm install`: on a Node older than Vakt supports, stop at once with one line
// (otherwise npm only warns, and better-sqlite3 later crashes the server).
const MINIMUM = [22, 12];

/** Why this Node cannot run Vakt, or null when it can. */
export function nodeProblem(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return null;
  return `Vakt needs Node ${MINIMUM.join('.')} or newer (Node 24 is what it targets); this is Node ${version}.`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problem = nodeProblem(process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
