import type { Resources } from './en';

/** Norsk bokmål. */
export const nb: Resources = {
  app: {
    preview: 'Forhåndsvisning — ikke låst. Ingenting her er en eksamen.',
    language: 'Språk',
    textSize: 'Tekststørrelse',
    smaller: 'Mindre tekst',
    larger: 'Større tekst',
    contrast: 'Høy kontrast',
  },
  signIn: {
    title: 'Logg inn på eksamen',
    examCode: 'Eksamenskode',
    candidateNumber: 'Kandidatnummer',
    personalCode: 'Personlig kode',
    submit: 'Logg inn',
    busy: 'Logger inn …',
    configProblem:
      'Vakt er ikke riktig satt opp på denne datamaskinen, så ingen eksamen kan starte her. Vis dette til IT:',
    updateAvailable:
      'En nyere Vakt ({{version}}) er tilgjengelig. Denne versjonen fungerer for eksamenen din; spør IT eller skolen hvordan du oppdaterer etterpå.',
    server: 'Eksamensserver: {{server}}',
  },
  errors: {
    'wrong-credentials':
      'Eksamenskoden, kandidatnummeret eller den personlige koden er feil. Sjekk dem, eller spør eksamensvakten.',
    'too-many-attempts_one':
      'For mange feil forsøk. Vent {{count}} sekund, eller spør eksamensvakten.',
    'too-many-attempts_other':
      'For mange feil forsøk. Vent {{count}} sekunder, eller spør eksamensvakten.',
    'exam-not-open':
      'Denne eksamenen åpner {{opensAt, datetime(dateStyle: long; timeStyle: short)}}. Du kan logge inn fra {{signInFrom, datetime(timeStyle: short)}}.',
    'exam-closed': 'Denne eksamenen er stengt.',
    'client-too-old':
      'Denne versjonen av Vakt er for gammel for eksamensserveren. Be eksamensvakten eller IT om versjon {{minimumVersion}} eller nyere.',
    offline:
      'Vakt får ikke kontakt med eksamensserveren, og trenger den én gang for å hente eksamenen. Sjekk nettverket og prøv igjen.',
    'managed-settings-invalid':
      'Vakt er ikke riktig satt opp på denne datamaskinen. Spør IT; innloggingssiden sier hva som må rettes.',
    'not-configured':
      'Denne Vakt-installasjonen har ingen eksamensserver satt opp. Spør eksamensvakten eller IT.',
    'package-signature':
      'Eksamenen kom ikke fra den forventede serveren (signaturen stemmer ikke). Si fra til eksamensvakten.',
    'package-mismatch':
      'Serveren sendte eksamenen for {{examCode}}, kandidat {{candidateNumber}}, ikke den du logget inn som. Si fra til eksamensvakten.',
    'signed-in': 'Noen andre er allerede logget inn på denne datamaskinen.',
    'not-signed-in': 'Logg inn først.',
    'wrong-phase': 'Det kan ikke gjøres nå i eksamenen.',
    'not-seeded': 'Vakt henter svarene dine fra serveren; du kan fortsette om et øyeblikk.',
    'not-open': 'Eksamenen har ikke åpnet ennå. Den starter av seg selv når den åpner.',
    replaced:
      'Eksamenen din fortsetter på en annen datamaskin, som eksamensvakten har godkjent. Spør eksamensvakten.',
    'not-answering': 'Svarene kan ikke endres nå.',
    'bad-answer': 'Det svaret passer ikke til oppgaven.',
    storage:
      'Vakt fikk ikke lagret på denne datamaskinen. Si fra til eksamensvakten; Vakt prøver igjen.',
    preflight: 'Rett først det sjekklisten viser.',
    'monitoring-failed':
      'Vakt fikk ikke startet kontrollen av denne datamaskinen, så eksamen kan ikke starte ennå. Si fra til eksamensvakten, som kan la deg starte.',
    'invalid-request': 'Vakt forsto ikke forespørselen.',
    forbidden: 'Dette vinduet kan ikke gjøre det.',
    internal: 'Noe gikk galt i Vakt. Svarene du har lagret, er trygge.',
    unknown: 'Vakt fikk ikke gjort det ({{code}}).',
  },
  problems: {
    'disk-full':
      'Disken er full, så den siste endringen er ikke lagret ennå. Frigjør plass eller si fra til eksamensvakten; Vakt prøver igjen.',
    'storage-denied':
      'Vakt får ikke skrive til mappen sin, så den siste endringen er ikke lagret ennå. Si fra til eksamensvakten.',
    'storage-failed':
      'Den siste endringen kunne ikke lagres ({{errno}}). Vakt prøver igjen; si fra til eksamensvakten om det varer.',
    token:
      'Innloggingen har gått ut: logg inn igjen nedenfor. Svarene dine er lagret på denne datamaskinen.',
    'config-key':
      'Eksamensinnstillingene på denne datamaskinen er ikke de samme som serverens: si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    'client-too-old':
      'Denne versjonen av Vakt er for gammel for eksamensserveren: be om versjon {{minimumVersion}}. Svarene dine er lagret på denne datamaskinen.',
    fork: 'Serveren kunne ikke ta imot dataene fra denne datamaskinen: si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    chain:
      'Serveren kunne ikke ta imot dataene fra denne datamaskinen: si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    nonce:
      'Serveren kunne ikke ta imot dataene fra denne datamaskinen: si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    quota:
      'Denne datamaskinen har sendt mer enn serveren tar imot for én eksamen: si fra til eksamensvakten, som kan ta imot en innleveringsfil. Svarene dine er lagret på denne datamaskinen.',
    journal:
      'Dataene på denne datamaskinen og på serveren stemmer ikke overens: si fra til eksamensvakten, som kan ta imot en innleveringsfil. Svarene dine er lagret på denne datamaskinen.',
    'too-large':
      'En post er for stor for serveren: si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    'upload-rejected':
      'Serveren sluttet å ta imot data fra denne datamaskinen ({{serverCode}}): si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    internal:
      'Sendingen til serveren stoppet på grunn av en feil i Vakt: si fra til eksamensvakten. Svarene dine er lagret på denne datamaskinen.',
    'awaiting-approval':
      'Denne datamaskinen venter på at eksamensvakten godkjenner den. Svarene dine er lagret på den andre datamaskinen og på serveren.',
    'fetching-answers':
      'Denne datamaskinen er godkjent: Vakt henter svarene dine fra serveren. Du kan fortsette om et øyeblikk.',
    'receipt-mismatch':
      'Innleveringen din blir kontrollert — ikke lukk Vakt. Si fra til eksamensvakten; svarene dine er lagret på denne datamaskinen.',
    replaced:
      'En annen datamaskin er godkjent for eksamenen din, så denne tar ikke imot flere svar. Det serveren har fått herfra, er tatt vare på. Fortsett på den andre datamaskinen, eller spør eksamensvakten.',
  },
  recorded: {
    title: 'Dette registrerer eksamenen',
    programsNoted:
      'Hvilke av disse programtypene som kjører mens du har eksamen (navnene, ikke innholdet): {{kinds}}.',
    programsEnded: 'Disse programtypene blir lukket, og det blir registrert: {{kinds}}.',
    focus:
      'Når du går ut av eksamensvinduet, hvor lenge og hvilket program du gikk til (ikke vindustittelen).',
    focusWithTitles:
      'Når du går ut av eksamensvinduet, hvor lenge, hvilket program du gikk til og tittelen på vinduet.',
    displays: 'Hvor mange skjermer som er koblet til, og om skjermen speiles.',
    machine:
      'Tegn på at datamaskinen er en virtuell maskin eller brukes fra et annet sted (fjernskrivebord).',
    device:
      'Batterinivået, om maskinen lader, og om den er på Wi-Fi eller kablet nett (ikke hvilket nett).',
    answers:
      'Svarene dine, hver gang de lagres, og hvilken oppgave du er på og hvilke du har merket for gjennomgang (så en annen datamaskin kan fortsette der du var).',
    nothingElse:
      'Ikke noe annet: ingen skjermbilder, kamera, mikrofon, tastetrykk eller filer. Eksamensvakten ser det som registreres; det slettes etter skoleåret.',
  },
  categories: {
    'remote-access': 'fjernstyring',
    'screen-capture': 'skjermopptak',
    communication: 'chat og samtaler',
    'ai-assistant': 'KI-assistenter',
    virtualization: 'virtuelle maskiner',
    automation: 'automatisering',
    browser: 'nettlesere',
    'assistive-technology': 'hjelpemidler',
  },
  preflight: {
    title: 'Før eksamen starter',
    intro:
      'Vakt sjekker denne datamaskinen. Rett det som står på listen; den oppdateres av seg selv.',
    programs: 'Programmer som må lukkes',
    close: 'Lukk {{name}}',
    closeFailed: '{{name}} kjører fortsatt. Lukk det selv.',
    notPermitted: 'Lukk {{name}} selv; Vakt har ikke lov til å lukke det.',
    displays_one: '{{count}} skjerm',
    displays_other: '{{count}} skjermer',
    vm: 'Denne eksamenen kan ikke tas i en virtuell maskin. Spør eksamensvakten.',
    vmNoted: 'Tegn på en virtuell maskin er registrert; eksamensvakten får se dem.',
    tooManyDisplays:
      '{{connected}} skjermer er koblet til; denne eksamenen tillater {{allowed}}. Koble fra de andre.',
    mirrored: 'Skjermen speiles til en annen skjerm. Slå av speilingen.',
    remoteRdp:
      'Denne datamaskinen brukes via Eksternt skrivebord. Ta eksamen ved selve datamaskinen.',
    remoteSsh: 'Denne økten ble åpnet over SSH. Ta eksamen ved selve datamaskinen.',
    remoteProgram: '{{name}} kan la noen andre se eller styre denne datamaskinen. Lukk det.',
    online: 'Koblet til eksamensserveren.',
    offline:
      'Ingen forbindelse til eksamensserveren. Du kan likevel starte: svarene lagres på denne datamaskinen og sendes når nettet er tilbake.',
    allClear: 'Alt er klart.',
    screenReaders: 'Skjermlesere er tillatt og blir aldri flagget.',
    start: 'Start eksamen',
    approved:
      'Eksamensvakten lar deg starte tross sjekkene. Tiden din starter når du trykker Start eksamen.',
    waiting: 'Lukk det som står på listen, eller vent til eksamensvakten lar deg starte.',
  },
  waiting: {
    title: 'Venterom',
    opensAt: 'Eksamenen åpner klokken {{opensAt, datetime(timeStyle: short)}}.',
    opensIn: 'Åpner om',
    soon: 'Eksamenen åpner om mindre enn ett minutt.',
    ready:
      'Du er klar. Eksamenen starter av seg selv klokken {{opensAt, datetime(timeStyle: short)}}: la Vakt være åpen.',
    fixFirst:
      'Rett det som står på listen før klokken {{opensAt, datetime(timeStyle: short)}}: da starter eksamenen av seg selv.',
  },
  exam: {
    identity: 'Kandidat {{number}} · {{code}}',
    identityNamed: '{{name}} · kandidat {{number}} · {{code}}',
    timeAdded_one: 'Eksamensvakten har gitt deg {{count}} minutt ekstra.',
    timeAdded_other: 'Eksamensvakten har gitt deg {{count}} minutter ekstra.',
    dismiss: 'OK',
    questions: 'Oppgaver',
    questionOf: 'Oppgave {{number}} av {{total}}',
    answered: 'besvart',
    unanswered: 'ikke besvart',
    flagged: 'merket for gjennomgang',
    flag: 'Merk for gjennomgang',
    unflag: 'Fjern merket',
    previous: 'Forrige',
    next: 'Neste',
    submit: 'Lever …',
    points_one: '{{count}} poeng',
    points_other: '{{count}} poeng',
    saving: 'Lagrer …',
    unsaved: 'Ikke lagret ennå',
    savedLocally: 'Lagret på denne datamaskinen',
    received: 'Mottatt av serveren',
    online: 'Tilkoblet',
    degraded: 'Ustabil tilkobling',
    offline: 'Frakoblet — svarene dine lagres på denne datamaskinen',
    waiting_one: '{{count}} endring venter på å bli sendt',
    waiting_other: '{{count}} endringer venter på å bli sendt',
    timeLeft: 'Tid igjen',
    warning_one: '{{count}} minutt igjen.',
    warning_other: '{{count}} minutter igjen.',
    characters: '{{count, number}} av {{max, number}} tegn',
    words_one: '{{count, number}} ord',
    words_other: '{{count, number}} ord',
    selectBetween: 'Velg mellom {{min}} og {{max}}.',
    selectAtLeast: 'Velg minst {{min}}.',
    numberRange: 'Et tall fra {{min, number}} til {{max, number}}',
    notANumber: 'Skriv et tall, for eksempel {{example, number}}.',
    outOfRange: 'Tallet er utenfor området.',
  },
  submit: {
    title: 'Levere svarene dine?',
    unanswered_one: '{{count}} oppgave er ikke besvart:',
    unanswered_other: '{{count}} oppgaver er ikke besvart:',
    flagged_one: '{{count}} oppgave er merket for gjennomgang:',
    flagged_other: '{{count}} oppgaver er merket for gjennomgang:',
    allAnswered: 'Alle oppgavene er besvart.',
    final: 'Du kan ikke endre svarene etter at du har levert.',
    confirm: 'Lever',
    cancel: 'Gå tilbake',
  },
  receipt: {
    closed: 'Vakt lukkes. Serveren har svarene dine.',
    timeUpTitle: 'Tiden er ute',
    timeUpBody: 'Svarene dine ble levert da tiden var ute.',
    submittingTitle: 'Leverer …',
    submittedOffline:
      'Levert på denne datamaskinen — sendes når nettverket er tilbake. Ikke lukk Vakt.',
    title: 'Svarene dine er levert',
    at: 'Mottatt {{at, datetime(dateStyle: long; timeStyle: short)}}',
    hash: 'Kvittering',
    mayClose: 'Du kan nå lukke Vakt.',
    exportHandIn: 'Lagre en innleveringsfil til eksamensvakten',
    exported: 'Lagret som {{fileName}} i Dokumenter-mappen.',
    leave: 'Lukk Vakt',
    print: 'Skriv ut eller lagre som PDF',
    printTitle: 'Kvittering for {{code}}',
    candidate: 'Kandidat {{number}}',
    candidateNamed: '{{name}} · kandidat {{number}}',
    signed: 'Signert av eksamensserveren (signaturen beviser kvitteringen):',
    keep: 'Ta vare på denne kvitteringen: den viser at serveren har mottatt svarene dine.',
  },
  locked: {
    title: 'Eksamen er låst',
    byInvigilator:
      'Eksamensvakten har låst eksamenen din. Svarene dine er lagret. Tiden din går fortsatt.',
    timeUp: 'Tiden er ute. Svarene dine er lagret.',
    reason: 'Eksamensvakten skriver: «{{reason}}»',
  },
  paused: {
    title: 'Eksamen er satt på pause',
    body: 'Eksamensvakten har satt eksamen på pause. Svarene dine er lagret, og klokken din står stille: du får pausetiden tilbake.',
    timeLeft: 'Tid igjen når eksamen fortsetter: {{time}}',
  },
  message: {
    title: 'Melding fra eksamensvakten',
    more_one: '{{count}} melding til etter denne.',
    more_other: '{{count}} meldinger til etter denne.',
    read: 'Jeg har lest den',
  },
  battery: {
    level: 'Batteri {{level}} %.',
    low: 'Koble til laderen.',
    critical: 'Koble til laderen nå, eller si fra til eksamensvakten. Svarene dine er lagret.',
  },
  hand: {
    raise: 'Rekk opp hånden',
    text: 'Hva gjelder det? (valgfritt)',
    send: 'Rekk opp hånden',
    cancel: 'Avbryt',
    raised: 'Du har rukket opp hånden: en eksamensvakt kommer til deg.',
    raisedOffline:
      'Du har rukket opp hånden. Nettet er nede: eksamensvaktene ser det så snart det er tilbake. Du kan også rekke opp hånden i rommet.',
    lower: 'Ta ned hånden',
    answered: 'En eksamensvakt har sett at du rakk opp hånden, og kommer til deg.',
    answeredOk: 'OK',
  },
  elsewhere: {
    closing: 'Vakt lukkes. Fortsett eksamenen på den andre datamaskinen.',
    'awaiting-approval': 'Venter på eksamensvakten',
    'fetching-answers': 'Henter svarene dine',
    replaced: 'Eksamenen din fortsetter på en annen datamaskin',
    stayHere:
      'Bli her: eksamenen åpner av seg selv når eksamensvakten har godkjent denne datamaskinen.',
  },
  exit: {
    title: 'Forlat eksamen',
    code: 'Avslutningskode fra eksamensvakten',
    leave: 'Forlat',
    wrong: 'Avslutningskoden er feil.',
    closing: 'Vakt lukkes. Svarene dine er lagret på denne datamaskinen.',
  },
};
