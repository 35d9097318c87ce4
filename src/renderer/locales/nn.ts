import type { Resources } from './en';

/** Norsk nynorsk. */
export const nn: Resources = {
  app: {
    preview: 'Førehandsvising — ikkje låst. Ingenting her er ein eksamen.',
    language: 'Språk',
    textSize: 'Tekststorleik',
    smaller: 'Mindre tekst',
    larger: 'Større tekst',
    contrast: 'Høg kontrast',
  },
  signIn: {
    title: 'Logg inn på eksamen',
    examCode: 'Eksamenskode',
    candidateNumber: 'Kandidatnummer',
    personalCode: 'Personleg kode',
    submit: 'Logg inn',
    busy: 'Loggar inn …',
    configProblem:
      'Vakt er ikkje rett sett opp på denne datamaskina, så ingen eksamen kan starte her. Vis dette til IT:',
    updateAvailable:
      'Ein nyare Vakt ({{version}}) er tilgjengeleg. Denne versjonen fungerer for eksamenen din; spør IT eller skulen korleis du oppdaterer etterpå.',
    server: 'Eksamenstenar: {{server}}',
  },
  errors: {
    'wrong-credentials':
      'Eksamenskoden, kandidatnummeret eller den personlege koden er feil. Sjekk dei, eller spør eksamensvakta.',
    'too-many-attempts_one':
      'For mange feil forsøk. Vent {{count}} sekund, eller spør eksamensvakta.',
    'too-many-attempts_other':
      'For mange feil forsøk. Vent {{count}} sekund, eller spør eksamensvakta.',
    'exam-not-open':
      'Denne eksamenen opnar {{opensAt, datetime(dateStyle: long; timeStyle: short)}}. Du kan logge inn frå {{signInFrom, datetime(timeStyle: short)}}.',
    'exam-closed': 'Denne eksamenen er stengd.',
    'client-too-old':
      'Denne versjonen av Vakt er for gammal for eksamenstenaren. Be eksamensvakta eller IT om versjon {{minimumVersion}} eller nyare.',
    offline:
      'Vakt får ikkje kontakt med eksamenstenaren, og treng han éin gong for å hente eksamenen. Sjekk nettverket og prøv igjen.',
    'managed-settings-invalid':
      'Vakt er ikkje rett sett opp på denne datamaskina. Spør IT; innloggingssida seier kva som må rettast.',
    'not-configured':
      'Denne Vakt-installasjonen har ingen eksamenstenar sett opp. Spør eksamensvakta eller IT.',
    'package-signature':
      'Eksamenen kom ikkje frå den venta tenaren (signaturen stemmer ikkje). Sei frå til eksamensvakta.',
    'package-mismatch':
      'Tenaren sende eksamenen for {{examCode}}, kandidat {{candidateNumber}}, ikkje den du logga inn som. Sei frå til eksamensvakta.',
    'signed-in': 'Nokon andre er alt logga inn på denne datamaskina.',
    'not-signed-in': 'Logg inn først.',
    'wrong-phase': 'Det kan ikkje gjerast no i eksamenen.',
    'not-seeded': 'Vakt hentar svara dine frå tenaren; du kan halde fram om eit augneblink.',
    'not-open': 'Eksamenen har ikkje opna enno. Han startar av seg sjølv når han opnar.',
    replaced:
      'Eksamenen din held fram på ei anna datamaskin, som eksamensvakta har godkjent. Spør eksamensvakta.',
    'not-answering': 'Svara kan ikkje endrast no.',
    'bad-answer': 'Det svaret passar ikkje til oppgåva.',
    storage:
      'Vakt fekk ikkje lagra på denne datamaskina. Sei frå til eksamensvakta; Vakt prøver igjen.',
    preflight: 'Rett først det sjekklista viser.',
    'monitoring-failed':
      'Vakt fekk ikkje starta kontrollen av denne datamaskina, så eksamen kan ikkje starte enno. Sei frå til eksamensvakta, som kan la deg starte.',
    'invalid-request': 'Vakt forstod ikkje førespurnaden.',
    forbidden: 'Dette vindauget kan ikkje gjere det.',
    internal: 'Noko gjekk gale i Vakt. Svara du har lagra, er trygge.',
    unknown: 'Vakt fekk ikkje gjort det ({{code}}).',
  },
  problems: {
    'disk-full':
      'Disken er full, så den siste endringa er ikkje lagra enno. Frigjer plass eller sei frå til eksamensvakta; Vakt prøver igjen.',
    'storage-denied':
      'Vakt får ikkje skrive til mappa si, så den siste endringa er ikkje lagra enno. Sei frå til eksamensvakta.',
    'storage-failed':
      'Den siste endringa kunne ikkje lagrast ({{errno}}). Vakt prøver igjen; sei frå til eksamensvakta om det varer.',
    token:
      'Innlogginga har gått ut: logg inn igjen nedanfor. Svara dine er lagra på denne datamaskina.',
    'config-key':
      'Eksamensinnstillingane på denne datamaskina er ikkje dei same som tenaren sine: sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    'client-too-old':
      'Denne versjonen av Vakt er for gammal for eksamenstenaren: be om versjon {{minimumVersion}}. Svara dine er lagra på denne datamaskina.',
    fork: 'Tenaren kunne ikkje ta imot dataa frå denne datamaskina: sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    chain:
      'Tenaren kunne ikkje ta imot dataa frå denne datamaskina: sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    nonce:
      'Tenaren kunne ikkje ta imot dataa frå denne datamaskina: sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    quota:
      'Denne datamaskina har sendt meir enn tenaren tek imot for éin eksamen: sei frå til eksamensvakta, som kan ta imot ei innleveringsfil. Svara dine er lagra på denne datamaskina.',
    journal:
      'Dataa på denne datamaskina og på tenaren stemmer ikkje overeins: sei frå til eksamensvakta, som kan ta imot ei innleveringsfil. Svara dine er lagra på denne datamaskina.',
    'too-large':
      'Ein post er for stor for tenaren: sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    'upload-rejected':
      'Tenaren slutta å ta imot data frå denne datamaskina ({{serverCode}}): sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    internal:
      'Sendinga til tenaren stoppa på grunn av ein feil i Vakt: sei frå til eksamensvakta. Svara dine er lagra på denne datamaskina.',
    'awaiting-approval':
      'Denne datamaskina ventar på at eksamensvakta godkjenner henne. Svara dine er lagra på den andre datamaskina og på tenaren.',
    'fetching-answers':
      'Denne datamaskina er godkjend: Vakt hentar svara dine frå tenaren. Du kan halde fram om eit augneblink.',
    'receipt-mismatch':
      'Innleveringa di blir kontrollert — ikkje lukk Vakt. Sei frå til eksamensvakta; svara dine er lagra på denne datamaskina.',
    replaced:
      'Ei anna datamaskin er godkjend for eksamenen din, så denne tek ikkje imot fleire svar. Det tenaren har fått herifrå, er teke vare på. Hald fram på den andre datamaskina, eller spør eksamensvakta.',
  },
  recorded: {
    title: 'Dette registrerer eksamenen',
    programsNoted:
      'Kva for nokre av desse programtypane som køyrer medan du har eksamen (namna, ikkje innhaldet): {{kinds}}.',
    programsEnded: 'Desse programtypane blir lukka, og det blir registrert: {{kinds}}.',
    focus:
      'Når du går ut av eksamensvindauget, kor lenge og kva program du gjekk til (ikkje vindaugstittelen).',
    focusWithTitles:
      'Når du går ut av eksamensvindauget, kor lenge, kva program du gjekk til og tittelen på vindauget.',
    displays: 'Kor mange skjermar som er kopla til, og om skjermen blir spegla.',
    machine:
      'Teikn på at datamaskina er ei virtuell maskin eller blir brukt frå ein annan stad (fjernskrivebord).',
    device:
      'Batterinivået, om maskina ladar, og om ho er på Wi-Fi eller kabla nett (ikkje kva nett).',
    answers:
      'Svara dine, kvar gong dei blir lagra, og kva oppgåve du er på og kva du har merkt for gjennomgang (så ei anna datamaskin kan halde fram der du var).',
    nothingElse:
      'Ikkje noko anna: ingen skjermbilete, kamera, mikrofon, tastetrykk eller filer. Eksamensvakta ser det som blir registrert; det blir sletta etter skuleåret.',
  },
  categories: {
    'remote-access': 'fjernstyring',
    'screen-capture': 'skjermopptak',
    communication: 'chat og samtalar',
    'ai-assistant': 'KI-assistentar',
    virtualization: 'virtuelle maskinar',
    automation: 'automatisering',
    browser: 'nettlesarar',
    'assistive-technology': 'hjelpemiddel',
  },
  preflight: {
    title: 'Før eksamen startar',
    intro:
      'Vakt sjekkar denne datamaskina. Rett det som står på lista; ho blir oppdatert av seg sjølv.',
    programs: 'Program som må lukkast',
    close: 'Lukk {{name}}',
    closeFailed: '{{name}} køyrer framleis. Lukk det sjølv.',
    notPermitted: 'Lukk {{name}} sjølv; Vakt har ikkje lov til å lukke det.',
    displays_one: '{{count}} skjerm',
    displays_other: '{{count}} skjermar',
    vm: 'Denne eksamenen kan ikkje takast i ein virtuell maskin. Spør eksamensvakta.',
    vmNoted: 'Teikn på ein virtuell maskin er registrerte; eksamensvakta får sjå dei.',
    tooManyDisplays:
      '{{connected}} skjermar er kopla til; denne eksamenen tillèt {{allowed}}. Kople frå dei andre.',
    mirrored: 'Skjermen blir spegla til ein annan skjerm. Slå av speglinga.',
    remoteRdp:
      'Denne datamaskina blir brukt via Eksternt skrivebord. Ta eksamen ved sjølve datamaskina.',
    remoteSsh: 'Denne økta vart opna over SSH. Ta eksamen ved sjølve datamaskina.',
    remoteProgram: '{{name}} kan la nokon andre sjå eller styre denne datamaskina. Lukk det.',
    online: 'Kopla til eksamenstenaren.',
    offline:
      'Inga tilkopling til eksamenstenaren. Du kan likevel starte: svara blir lagra på denne datamaskina og sende når nettet er tilbake.',
    allClear: 'Alt er klart.',
    screenReaders: 'Skjermlesarar er tillatne og blir aldri flagga.',
    start: 'Start eksamen',
    approved:
      'Eksamensvakta lèt deg starte trass i sjekkane. Tida di startar når du trykkjer Start eksamen.',
    waiting: 'Lukk det som står på lista, eller vent til eksamensvakta lèt deg starte.',
  },
  waiting: {
    title: 'Venterom',
    opensAt: 'Eksamenen opnar klokka {{opensAt, datetime(timeStyle: short)}}.',
    opensIn: 'Opnar om',
    soon: 'Eksamenen opnar om mindre enn eitt minutt.',
    ready:
      'Du er klar. Eksamenen startar av seg sjølv klokka {{opensAt, datetime(timeStyle: short)}}: la Vakt vere open.',
    fixFirst:
      'Rett det som står på lista før klokka {{opensAt, datetime(timeStyle: short)}}: då startar eksamenen av seg sjølv.',
  },
  exam: {
    identity: 'Kandidat {{number}} · {{code}}',
    identityNamed: '{{name}} · kandidat {{number}} · {{code}}',
    timeAdded_one: 'Eksamensvakta har gitt deg {{count}} minutt ekstra.',
    timeAdded_other: 'Eksamensvakta har gitt deg {{count}} minutt ekstra.',
    dismiss: 'OK',
    questions: 'Oppgåver',
    questionOf: 'Oppgåve {{number}} av {{total}}',
    answered: 'svara på',
    unanswered: 'ikkje svara på',
    flagged: 'merkt for gjennomgang',
    flag: 'Merk for gjennomgang',
    unflag: 'Fjern merket',
    previous: 'Førre',
    next: 'Neste',
    submit: 'Lever …',
    points_one: '{{count}} poeng',
    points_other: '{{count}} poeng',
    saving: 'Lagrar …',
    unsaved: 'Ikkje lagra enno',
    savedLocally: 'Lagra på denne datamaskina',
    received: 'Motteke av tenaren',
    online: 'Tilkopla',
    degraded: 'Ustabil tilkopling',
    offline: 'Fråkopla — svara dine blir lagra på denne datamaskina',
    waiting_one: '{{count}} endring ventar på å bli send',
    waiting_other: '{{count}} endringar ventar på å bli sende',
    timeLeft: 'Tid att',
    warning_one: '{{count}} minutt att.',
    warning_other: '{{count}} minutt att.',
    characters: '{{count, number}} av {{max, number}} teikn',
    words_one: '{{count, number}} ord',
    words_other: '{{count, number}} ord',
    selectBetween: 'Vel mellom {{min}} og {{max}}.',
    selectAtLeast: 'Vel minst {{min}}.',
    numberRange: 'Eit tal frå {{min, number}} til {{max, number}}',
    notANumber: 'Skriv eit tal, til dømes {{example, number}}.',
    outOfRange: 'Talet er utanfor området.',
  },
  submit: {
    title: 'Levere svara dine?',
    unanswered_one: '{{count}} oppgåve er ikkje svara på:',
    unanswered_other: '{{count}} oppgåver er ikkje svara på:',
    flagged_one: '{{count}} oppgåve er merkt for gjennomgang:',
    flagged_other: '{{count}} oppgåver er merkte for gjennomgang:',
    allAnswered: 'Alle oppgåvene er svara på.',
    final: 'Du kan ikkje endre svara etter at du har levert.',
    confirm: 'Lever',
    cancel: 'Gå tilbake',
  },
  receipt: {
    closed: 'Vakt blir lukka. Tenaren har svara dine.',
    timeUpTitle: 'Tida er ute',
    timeUpBody: 'Svara dine vart leverte då tida var ute.',
    submittingTitle: 'Leverer …',
    submittedOffline:
      'Levert på denne datamaskina — blir sendt når nettverket er tilbake. Ikkje lukk Vakt.',
    title: 'Svara dine er leverte',
    at: 'Motteke {{at, datetime(dateStyle: long; timeStyle: short)}}',
    hash: 'Kvittering',
    mayClose: 'Du kan no lukke Vakt.',
    exportHandIn: 'Lagre ei innleveringsfil til eksamensvakta',
    exported: 'Lagra som {{fileName}} i Dokument-mappa.',
    leave: 'Lukk Vakt',
    print: 'Skriv ut eller lagre som PDF',
    printTitle: 'Kvittering for {{code}}',
    candidate: 'Kandidat {{number}}',
    candidateNamed: '{{name}} · kandidat {{number}}',
    signed: 'Signert av eksamenstenaren (signaturen beviser kvitteringa):',
    keep: 'Ta vare på denne kvitteringa: ho viser at tenaren har fått svara dine.',
  },
  locked: {
    title: 'Eksamen er låst',
    byInvigilator:
      'Eksamensvakta har låst eksamenen din. Svara dine er lagra. Tida di går framleis.',
    timeUp: 'Tida er ute. Svara dine er lagra.',
    reason: 'Eksamensvakta skriv: «{{reason}}»',
  },
  paused: {
    title: 'Eksamen er sett på pause',
    body: 'Eksamensvakta har sett eksamen på pause. Svara dine er lagra, og klokka di står still: du får pausetida tilbake.',
    timeLeft: 'Tid att når eksamen held fram: {{time}}',
  },
  message: {
    title: 'Melding frå eksamensvakta',
    more_one: '{{count}} melding til etter denne.',
    more_other: '{{count}} meldingar til etter denne.',
    read: 'Eg har lese ho',
  },
  battery: {
    level: 'Batteri {{level}} %.',
    low: 'Kopla til ladaren.',
    critical: 'Kopla til ladaren no, eller sei frå til eksamensvakta. Svara dine er lagra.',
  },
  hand: {
    raise: 'Rekk opp handa',
    text: 'Kva gjeld det? (valfritt)',
    send: 'Rekk opp handa',
    cancel: 'Avbryt',
    raised: 'Du har rekt opp handa: ei eksamensvakt kjem til deg.',
    raisedOffline:
      'Du har rekt opp handa. Nettet er nede: eksamensvaktene ser det så snart det er tilbake. Du kan òg rekkje opp handa i rommet.',
    lower: 'Ta ned handa',
    answered: 'Ei eksamensvakt har sett at du rekte opp handa, og kjem til deg.',
    answeredOk: 'OK',
  },
  elsewhere: {
    closing: 'Vakt blir lukka. Hald fram med eksamenen på den andre datamaskina.',
    'awaiting-approval': 'Ventar på eksamensvakta',
    'fetching-answers': 'Hentar svara dine',
    replaced: 'Eksamenen din held fram på ei anna datamaskin',
    stayHere:
      'Bli her: eksamenen opnar seg sjølv når eksamensvakta har godkjent denne datamaskina.',
  },
  exit: {
    title: 'Forlat eksamen',
    code: 'Avsluttingskode frå eksamensvakta',
    leave: 'Forlat',
    wrong: 'Avsluttingskoden er feil.',
    closing: 'Vakt blir lukka. Svara dine er lagra på denne datamaskina.',
  },
};
