/**
 * English. The other languages have exactly these keys (TypeScript checks it); plurals use
 * i18next's `_one` / `_other` suffixes, numbers and dates `{{value, number}}` and
 * `{{value, datetime}}` so each language writes them its own way.
 */
export const en = {
  app: {
    preview: 'Preview — not locked down. Nothing here is an exam.',
    language: 'Language',
    textSize: 'Text size',
    smaller: 'Smaller text',
    larger: 'Larger text',
    contrast: 'High contrast',
  },
  signIn: {
    title: 'Sign in to your exam',
    examCode: 'Exam code',
    candidateNumber: 'Candidate number',
    personalCode: 'Personal code',
    submit: 'Sign in',
    busy: 'Signing in…',
    configProblem:
      'Vakt is not set up correctly on this computer, so no exam can start here. Show this to IT:',
    updateAvailable:
      'A newer Vakt ({{version}}) is available. This version works for your exam; ask IT or your school how to update afterwards.',
    server: 'Exam server: {{server}}',
  },
  errors: {
    'wrong-credentials':
      'The exam code, candidate number or personal code is not right. Check them, or ask the invigilator.',
    'too-many-attempts_one': 'Too many wrong tries. Wait {{count}} second, or ask the invigilator.',
    'too-many-attempts_other':
      'Too many wrong tries. Wait {{count}} seconds, or ask the invigilator.',
    'exam-not-open':
      'This exam opens {{opensAt, datetime(dateStyle: long; timeStyle: short)}}. You can sign in from {{signInFrom, datetime(timeStyle: short)}}.',
    'exam-closed': 'This exam has closed.',
    'client-too-old':
      'This version of Vakt is too old for the exam server. Ask the invigilator or IT for version {{minimumVersion}} or newer.',
    offline:
      'Vakt cannot reach the exam server, and needs it once to fetch the exam. Check the network and try again.',
    'managed-settings-invalid':
      'Vakt is not set up correctly on this computer. Ask IT; the sign-in screen says what to fix.',
    'not-configured': 'This copy of Vakt has no exam server configured. Ask the invigilator or IT.',
    'package-signature':
      'The exam did not come from the expected server (its signature does not match). Tell the invigilator.',
    'package-mismatch':
      'The server sent the exam for {{examCode}}, candidate {{candidateNumber}}, not the one you signed in as. Tell the invigilator.',
    'signed-in': 'Someone else is already signed in on this computer.',
    'not-signed-in': 'Sign in first.',
    'wrong-phase': 'That cannot be done at this stage of the exam.',
    'not-seeded': 'Vakt is fetching your answers from the server; you can go on in a moment.',
    'not-open': 'The exam has not opened yet. It starts by itself at the opening.',
    replaced:
      'Your exam continues on another computer, which the invigilator approved. Ask the invigilator.',
    'not-answering': 'Answers cannot be changed now.',
    'bad-answer': 'That answer does not fit the question.',
    storage: 'Vakt could not save on this computer. Tell the invigilator; Vakt keeps trying.',
    preflight: 'Fix what the checklist shows first.',
    'monitoring-failed':
      'Vakt could not start checking this computer, so the exam cannot start yet. Tell the invigilator, who can let you start.',
    'invalid-request': 'Vakt could not understand that request.',
    forbidden: 'This window may not do that.',
    internal: 'Something went wrong in Vakt. Your saved answers are safe.',
    unknown: 'Vakt could not do that ({{code}}).',
  },
  problems: {
    'disk-full':
      'The disk is full, so your latest change is not saved yet. Free some space or tell the invigilator; Vakt keeps trying.',
    'storage-denied':
      'Vakt may not write to its folder, so your latest change is not saved yet. Tell the invigilator.',
    'storage-failed':
      'Your latest change could not be saved ({{errno}}). Vakt keeps trying; tell the invigilator if this stays.',
    token: 'Your sign-in has expired: sign in again below. Your answers are kept on this computer.',
    'config-key':
      "The exam settings on this computer differ from the server's: tell the invigilator. Your answers are kept on this computer.",
    'client-too-old':
      'This version of Vakt is too old for the exam server: ask for version {{minimumVersion}}. Your answers are kept on this computer.',
    fork: "The server could not accept this computer's records: tell the invigilator. Your answers are kept on this computer.",
    chain:
      "The server could not accept this computer's records: tell the invigilator. Your answers are kept on this computer.",
    nonce:
      "The server could not accept this computer's records: tell the invigilator. Your answers are kept on this computer.",
    quota:
      'This computer has sent more than the server keeps for one exam: tell the invigilator, who can take a hand-in file. Your answers are kept on this computer.',
    journal:
      "This computer's records and the server's disagree: tell the invigilator, who can take a hand-in file. Your answers are kept on this computer.",
    'too-large':
      'A record is too large for the server: tell the invigilator. Your answers are kept on this computer.',
    'upload-rejected':
      'The server stopped taking this computer’s records ({{serverCode}}): tell the invigilator. Your answers are kept on this computer.',
    internal:
      'Sending to the server stopped because of a fault in Vakt: tell the invigilator. Your answers are kept on this computer.',
    'awaiting-approval':
      'This computer is waiting for the invigilator to approve it. Your answers are kept on the other computer and on the server.',
    'fetching-answers':
      'This computer was approved: Vakt is fetching your answers from the server. You can go on in a moment.',
    'receipt-mismatch':
      'Your submission is being checked — do not close Vakt. Tell the invigilator; your answers are kept on this computer.',
    replaced:
      'Another computer was approved for your exam, so this one takes no more answers. What the server received from here is kept. Carry on at the other computer, or ask the invigilator.',
  },
  recorded: {
    title: 'What this exam records',
    programsNoted:
      'Which of these kinds of program run while you sit the exam (their names, not what is in them): {{kinds}}.',
    programsEnded:
      'These kinds of program are closed, and it is recorded that they were: {{kinds}}.',
    focus:
      'When you leave the exam window, for how long, and which program you went to (not its window title).',
    focusWithTitles:
      'When you leave the exam window, for how long, which program you went to and the title of its window.',
    displays: 'How many displays are connected, and whether the screen is mirrored.',
    machine:
      'Signs that this computer is a virtual machine or is being used from somewhere else (remote desktop).',
    device:
      'The battery level, whether it is charging, and whether the computer is on Wi-Fi or wired (not which network).',
    answers:
      'Your answers, each time they are saved, and which question you are at and which you marked for review (so another computer can carry on where you were).',
    nothingElse:
      'Nothing else: no screenshots, camera, microphone, keystrokes or files. The invigilator sees what is recorded; it is deleted after the school year.',
  },
  categories: {
    'remote-access': 'remote access',
    'screen-capture': 'screen recording',
    communication: 'chat and calls',
    'ai-assistant': 'AI assistants',
    virtualization: 'virtual machines',
    automation: 'automation',
    browser: 'web browsers',
    'assistive-technology': 'assistive technology',
  },
  preflight: {
    title: 'Before the exam starts',
    intro: 'Vakt checks this computer. Fix what is listed; the list updates by itself.',
    programs: 'Programs to close',
    close: 'Close {{name}}',
    closeFailed: '{{name}} is still running. Close it yourself.',
    notPermitted: 'Close {{name}} yourself; Vakt may not close it.',
    displays_one: '{{count}} display',
    displays_other: '{{count}} displays',
    vm: 'This exam cannot be taken in a virtual machine. Ask the invigilator.',
    vmNoted: 'Signs of a virtual machine were noted; the invigilator will see them.',
    tooManyDisplays:
      '{{connected}} displays are connected; this exam allows {{allowed}}. Disconnect the others.',
    mirrored: 'The screen is mirrored to another display. Turn mirroring off.',
    remoteRdp: 'This computer is used through Remote Desktop. Sit the exam at the computer itself.',
    remoteSsh: 'This session was opened over SSH. Sit the exam at the computer itself.',
    remoteProgram: '{{name}} can let someone else see or control this computer. Close it.',
    online: 'Connected to the exam server.',
    offline:
      'No connection to the exam server. You can still start: answers are kept on this computer and sent when the network returns.',
    allClear: 'Everything is ready.',
    screenReaders: 'Screen readers are allowed and never flagged.',
    start: 'Start the exam',
    approved:
      'The invigilator lets you start despite the checks. Your time starts when you press Start the exam.',
    waiting: 'Close what is listed, or wait for the invigilator to let you start.',
  },
  waiting: {
    title: 'Waiting room',
    opensAt: 'The exam opens at {{opensAt, datetime(timeStyle: short)}}.',
    opensIn: 'Opens in',
    soon: 'The exam opens in less than a minute.',
    ready:
      'You are ready. The exam starts by itself at {{opensAt, datetime(timeStyle: short)}}: keep Vakt open.',
    fixFirst:
      'Fix what is listed before {{opensAt, datetime(timeStyle: short)}}: then the exam starts by itself.',
  },
  exam: {
    identity: 'Candidate {{number}} · {{code}}',
    identityNamed: '{{name}} · candidate {{number}} · {{code}}',
    timeAdded_one: 'The invigilator gave you {{count}} more minute.',
    timeAdded_other: 'The invigilator gave you {{count}} more minutes.',
    dismiss: 'OK',
    questions: 'Questions',
    questionOf: 'Question {{number}} of {{total}}',
    answered: 'answered',
    unanswered: 'not answered',
    flagged: 'flagged for review',
    flag: 'Flag for review',
    unflag: 'Remove flag',
    previous: 'Previous',
    next: 'Next',
    submit: 'Submit…',
    points_one: '{{count}} point',
    points_other: '{{count}} points',
    saving: 'Saving…',
    unsaved: 'Not saved yet',
    savedLocally: 'Saved on this computer',
    received: 'Received by the server',
    online: 'Online',
    degraded: 'Connection unstable',
    offline: 'Offline — your answers are saved on this computer',
    waiting_one: '{{count}} change waiting to be sent',
    waiting_other: '{{count}} changes waiting to be sent',
    timeLeft: 'Time left',
    warning_one: '{{count}} minute left.',
    warning_other: '{{count}} minutes left.',
    characters: '{{count, number}} of {{max, number}} characters',
    words_one: '{{count, number}} word',
    words_other: '{{count, number}} words',
    selectBetween: 'Choose between {{min}} and {{max}}.',
    selectAtLeast: 'Choose at least {{min}}.',
    numberRange: 'A number from {{min, number}} to {{max, number}}',
    notANumber: 'Write a number, like {{example, number}}.',
    outOfRange: 'The number is outside the range.',
  },
  submit: {
    title: 'Submit your answers?',
    unanswered_one: '{{count}} question is not answered:',
    unanswered_other: '{{count}} questions are not answered:',
    flagged_one: '{{count}} question is flagged for review:',
    flagged_other: '{{count}} questions are flagged for review:',
    allAnswered: 'Every question is answered.',
    final: 'You cannot change your answers after submitting.',
    confirm: 'Submit',
    cancel: 'Go back',
  },
  receipt: {
    closed: 'Vakt is closing. The server has your answers.',
    timeUpTitle: 'Time is up',
    timeUpBody: 'Your answers were handed in when the time ran out.',
    submittingTitle: 'Submitting…',
    submittedOffline:
      'Submitted on this computer — it will be sent when the network returns. Do not close Vakt.',
    title: 'Your answers are submitted',
    at: 'Received {{at, datetime(dateStyle: long; timeStyle: short)}}',
    hash: 'Receipt',
    mayClose: 'You may now close Vakt.',
    exportHandIn: 'Save a hand-in file for the invigilator',
    exported: 'Saved as {{fileName}} in your Documents folder.',
    leave: 'Close Vakt',
    print: 'Print or save as PDF',
    printTitle: 'Receipt for {{code}}',
    candidate: 'Candidate {{number}}',
    candidateNamed: '{{name}} · candidate {{number}}',
    signed: 'Signed by the exam server (the signature proves the receipt):',
    keep: 'Keep this receipt: it shows the server received your answers.',
  },
  locked: {
    title: 'The exam is locked',
    byInvigilator:
      'The invigilator has locked your exam. Your answers are kept. Your time keeps running.',
    timeUp: 'Time is up. Your answers are kept.',
    reason: 'The invigilator says: “{{reason}}”',
  },
  paused: {
    title: 'The exam is paused',
    body: 'The invigilator has paused the exam. Your answers are kept, and your clock has stopped: you get the paused time back.',
    timeLeft: 'Time left when the exam goes on: {{time}}',
  },
  message: {
    title: 'Message from the invigilator',
    more_one: '{{count}} more message after this one.',
    more_other: '{{count}} more messages after this one.',
    read: 'I have read it',
  },
  battery: {
    level: 'Battery {{level}} %.',
    low: 'Plug in your charger.',
    critical: 'Plug in your charger now, or tell the invigilator. Your answers are saved.',
  },
  hand: {
    raise: 'Raise hand',
    text: 'What is it about? (optional)',
    send: 'Raise hand',
    cancel: 'Cancel',
    raised: 'Your hand is raised: an invigilator will come to you.',
    raisedOffline:
      'Your hand is raised. The connection is down: the invigilators see it as soon as it is back. You can also raise your hand in the room.',
    lower: 'Lower hand',
    answered: 'An invigilator has seen your hand and is coming to you.',
    answeredOk: 'OK',
  },
  elsewhere: {
    closing: 'Vakt is closing. Go on with your exam on the other computer.',
    'awaiting-approval': 'Waiting for the invigilator',
    'fetching-answers': 'Fetching your answers',
    replaced: 'Your exam continues on another computer',
    stayHere:
      'Stay here: the exam opens by itself once the invigilator has approved this computer.',
  },
  exit: {
    title: 'Leave the exam',
    code: 'Exit code from the invigilator',
    leave: 'Leave',
    wrong: 'That exit code is not right.',
    closing: 'Vakt is closing. Your answers are kept on this computer.',
  },
};

export type Resources = typeof en;
