/**
 * The one composition root: config -> database -> storage -> conversations -> channels -> inbox
 * and outbox -> HTTP -> scheduler. Tests start the same thing with their own config.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { Config } from "./config/config.js";
import { openDatabase, type DatabaseHandle } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import { prismaAuthStore } from "./db/whatsapp-auth-store.js";
import { prismaWindowStore } from "./db/whatsapp-window-store.js";
import { whatsappCloudEnabled } from "./config/config.js";
import { markDelivery, releaseHeld, type DeliveryUpdate } from "./outbox/delivery.js";
import { TEMPLATE_KINDS } from "./messaging/kinds.js";
import { readTemplatesFile } from "./channels/whatsapp-cloud/templates.js";
import { tellAdminsAboutDelivery } from "./domain/staff/delivery-alerts.js";
import { tellAdminsWhatsAppHalted } from "./domain/staff/whatsapp-halt.js";
import { prismaServiceLease } from "./db/service-lease.js";
import type { WhatsAppChannelOptions } from "./channels/whatsapp/index.js";
import { mergeIdentityInto } from "./db/identity-merge.js";
import type { Logger } from "./logging/logger.js";
import { buildApp } from "./http/app.js";
import { loadKeyRing, loadSessionSecret } from "./security/crypto.js";
import { useAtRestKey } from "./security/at-rest.js";
import { databaseWebChatRows, fileStoreFor, listenWebChatSignals, type WebChatSignals } from "./db/shared-storage.js";
import { storedAddress } from "./security/address-index.js";
import { loadAddressIndexKey } from "./db/address-index-key.js";
import { convertWhatsAppAddresses } from "./db/whatsapp-address-conversion.js";
import type { FileStore } from "./storage/file-store.js";
import { systemClock, type Clock } from "./shared/clock.js";
import { loadConversations, type LoadedConversations } from "./flows/load.js";
import { loadOfficeSetup } from "./domain/routing/rules.js";
import type { Channel } from "./channels/channel.js";
import { addressKey, type ChannelName } from "./messaging/model.js";
import { Inbox } from "./conversation/inbox.js";
import { ClientDesk } from "./desks/client-desk.js";
import { ImpactDesk } from "./desks/impact-desk.js";
import { MonitoringDesk } from "./desks/monitoring-desk.js";
import { Outbox } from "./outbox/outbox.js";
import { OutboxSender, type SenderOptions } from "./outbox/sender.js";
import { StaffDesk } from "./desks/staff-desk.js";
import { AppointmentDesk } from "./desks/appointments.js";
import type { AppointmentDeps } from "./domain/appointments/index.js";
import { InviteDesk } from "./desks/invite-desk.js";
import type { WorkflowDeps } from "./domain/workflow/context.js";
import { lockPerson } from "./db/person-lock.js";
import type { ClientFlowStarter, TurnIdentity } from "./desks/desk.js";
import { commandMenu } from "./desks/command-menu.js";
import { createLoginLink, dashboardPlugin } from "./http/dashboard/index.js";
import { complaintActions } from "./http/dashboard/complaint-actions.js";
import { announcementActions } from "./http/dashboard/announcement-actions.js";
import { appointmentActions } from "./http/dashboard/appointment-actions.js";
import { routingActions } from "./http/dashboard/routing-actions.js";
import { OfficeCalendar } from "./domain/calendar/office-calendar.js";
import { cancelCaseReminders } from "./scheduler/reminders.js";
import {
  cancelAppointmentReminders, planActionItemReminders, planAppointmentReminders, planMonitoringReminders, planRegistrationReminders, planSlaReminders, planImpactFollowups, planComplaintOverdue, ZMissingField, type MissingField,
} from "./scheduler/kinds/index.js";
import { reminderDesks } from "./scheduler/answer-desk.js";
import { AnnouncementDesk } from "./desks/announcement-desk.js";
import { Sweeper } from "./scheduler/sweeper.js";
import { reminderJobs, type Job } from "./scheduler/jobs.js";
import { retentionJob } from "./scheduler/retention-job.js";
import { startScheduler, type SchedulerHandle } from "./scheduler/scheduler.js";
import { runSessionTimers } from "./conversation/session-timers.js";
import { sendWeeklySummaries } from "./scheduler/weekly-summary.js";
import type { Role } from "./domain/staff/directory.js";

export interface ServiceOptions {
  clock?: Clock;
  /** Extra channels (tests plug a channel in here); they run beside the configured ones. */
  channels?: Channel[];
  /** Do not listen on a port (tests that only drive channels). */
  listen?: boolean;
  /** Sending pace other than the channels' own limits (tests that must not wait a second per message). */
  paceOverride?: SenderOptions["paceOverride"];
  /** Settings of the Baileys channel over the configured ones (tests plug in a stand-in socket). */
  whatsapp?: Partial<WhatsAppChannelOptions>;
}

export interface RunningService {
  database: DatabaseHandle;
  url: string;
  app: FastifyInstance;
  inbox: Inbox;
  sender: OutboxSender;
  channels: Map<ChannelName, Channel>;
  files: FileStore;
  conversations: LoadedConversations;
  /** The scheduled jobs (also runnable once: tests, `npm run reminders:run`). */
  jobs: Job[];
  stop(): Promise<void>;
}

export async function startService(config: Config, logger: Logger, opts: ServiceOptions = {}): Promise<RunningService> {
  const clock = opts.clock ?? systemClock;
  // Uploads, PDFs, web chat history and key files: the service's user only.
  fs.mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  fs.chmodSync(config.DATA_DIR, 0o700);
  // Conversations first: a broken flow file stops the start before anything is touched.
  const conversations = loadConversations(config.CONVERSATIONS_DIR);
  const setup = loadOfficeSetup(config.CONVERSATIONS_DIR);
  const calendar = OfficeCalendar.fromConfig(config);
  // The WhatsApp templates too: a broken file stops the start like a broken flow.
  const cloudTemplates = whatsappCloudEnabled(config) ? readTemplatesFile(config.CONVERSATIONS_DIR) : undefined;

  const migrated = await migrate(config.DATABASE_URL);
  logger.info({ provider: config.database.provider, applied: migrated.applied, alreadyApplied: migrated.alreadyApplied }, "database migrated");
  const database = await openDatabase(config.DATABASE_URL);
  const { db, provider } = database;
  // What channels report after a send (receipts, held messages) goes to the outbox's rows.
  const outbox = new Outbox({ db, provider, sqlite: database.sqlite, postgres: database.postgres });

  const keys = loadKeyRing({ envKey: config.ENCRYPTION_KEY, dataDir: config.DATA_DIR });
  // Session state, outbox bodies and the client's contact fields are sealed with it (at-rest.ts).
  useAtRestKey(keys.key);
  // WhatsApp addresses are phone numbers: stored as a blind index under the office's index key,
  // and rows written before that (an upgrade) are converted once, before any channel starts.
  await loadAddressIndexKey(db);
  const converted = await convertWhatsAppAddresses(db, { sqlite: database.sqlite });
  if (converted.total > 0) logger.info({ ...converted }, "WhatsApp addresses converted to their blind index");
  if (keys.source !== "environment") {
    logger.warn({ file: path.join(config.DATA_DIR, "encryption.key") }, "ENCRYPTION_KEY is not set: using a key file under DATA_DIR. Set ENCRYPTION_KEY in production and keep a copy of the key: without it the identity photos cannot be read.");
  }
  // On PostgreSQL several instances may share the database: the files live in it, not on one machine's disk.
  const files = fileStoreFor(database, config.DATA_DIR, keys.key);

  /** Chat history kept outside the database, per channel (the web chat's files): deletion and retention remove it. */
  const chatHistories = new Map<string, { forget?(personId: string): Promise<void> }>();
  const forgetChat = async (channel: string, address: string): Promise<void> => chatHistories.get(channel)?.forget?.(address);
  const appointments: AppointmentDeps = {
    calendar,
    reminders: {
      plan: async (tx, a) => void (await planAppointmentReminders(tx, { ...a, calendar })),
      cancel: async (tx, appointmentId) => void (await cancelAppointmentReminders(tx, appointmentId)),
    },
  };
  const workflow: WorkflowDeps = {
    key: keys.key,
    appointments,
    forgetChat,
    files,
    setup: () => setup,
    officeCode: config.OFFICE_CODE,
    tz: config.TZ,
    regions: () => conversations.regions,
    reminders: {
      planActionItems: async (tx, a) => void (await planActionItemReminders(tx, { ...a, calendar })),
      planMonitoring: async (tx, a) => void (await planMonitoringReminders(tx, { ...a, calendar })),
      planSla: async (tx, a) => void (await planSlaReminders(tx, { ...a, calendar })),
      planIncomplete: async (tx, a) =>
        void (await planRegistrationReminders(tx, { caseId: a.caseId, clientIdentityId: a.clientIdentityId, missing: a.missing.filter((m): m is MissingField => ZMissingField.safeParse(m).success), since: a.at, calendar })),
      cancelCase: async (tx, caseId, kinds) => void (await cancelCaseReminders(tx, caseId, kinds)),
      planImpact: async (tx, a) => planImpactFollowups(tx, { ...a, calendar }),
      planComplaintDeadline: async (tx, a) => (await planComplaintOverdue(tx, { ...a, deadlineDays: config.COMPLAINT_DEADLINE_DAYS, calendar })).dueAt,
    },
  };
  /** The workflow asks a client to fill a form (action plan, check-in, survey) inside its turn. */
  const startClientFlow: ClientFlowStarter = async (turn, identityId, flowId, vars) => {
    const row = await turn.tx.identity.findUniqueOrThrow({ where: { id: identityId } });
    if (provider === "postgresql") await lockPerson(turn.tx, `${row.channel}:${row.address}`);
    const identity: TurnIdentity = { id: row.id, channel: row.channel, address: row.address, clientId: row.clientId, staffId: row.staffId, language: row.language, remindersOn: row.remindersOn };
    await clientDesk.run(turn, identity, { type: "start", flowId, vars }, null);
  };
  const staffDesk = new StaffDesk({
    workflow,
    appointments,
    conversations: () => conversations,
    reports: { texts: () => conversations.texts, regions: () => conversations.regions, files, key: keys.key, tz: config.TZ, loginLink: (tx, staffId, now) => createLoginLink(tx, staffId, now, config.publicUrl), calendar },
  });
  const clientDesk: ClientDesk = new ClientDesk({
    conversations: () => conversations,
    workflow,
    timers: { nudgeAfterMinutes: config.NUDGE_AFTER_MINUTES, expireAfterDays: config.SESSION_EXPIRE_DAYS },
    maxUploadMb: config.MAX_UPLOAD_MB,
  });

  const channels = new Map<ChannelName, Channel>();
  for (const ch of opts.channels ?? []) channels.set(ch.name, ch);
  const plugins: FastifyPluginAsync[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramChannel, telegramWebhookPlugin } = await import("./channels/telegram/index.js");
    const common = {
      token: config.TELEGRAM_BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      logger: logger.child({ channel: "telegram" }),
      pace: { perChatPerSecond: config.TELEGRAM_CHAT_MESSAGES_PER_SECOND, globalPerSecond: config.TELEGRAM_MESSAGES_PER_SECOND },
    };
    if (config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET) {
      const url = config.TELEGRAM_WEBHOOK_URL;
      const secretToken = config.TELEGRAM_WEBHOOK_SECRET;
      const telegram = createTelegramChannel({ ...common, mode: "webhook", webhook: { url, secretToken } });
      channels.set("telegram", telegram);
      plugins.push(telegramWebhookPlugin(telegram, { path: new URL(url).pathname, secretToken }));
    } else {
      channels.set("telegram", createTelegramChannel({ ...common, mode: "polling" }));
    }
  }
  /** Set once the outbox sender exists (the WhatsApp channel is made before it). */
  let wakeSender: () => void = () => undefined;
  let whatsappPairing: { get(): { state: string; qr?: string; pairingCode?: string; updatedAt: Date } } | undefined;
  let whatsappRelink: (() => Promise<void>) | undefined;
  if (config.WHATSAPP_ENABLED) {
    const { createWhatsAppChannel } = await import("./channels/whatsapp/index.js");
    const wa = createWhatsAppChannel({
      store: prismaAuthStore(db),
      logger: logger.child({ channel: "whatsapp" }),
      ...(config.WHATSAPP_PAIRING_PHONE ? { pairingPhone: config.WHATSAPP_PAIRING_PHONE } : {}),
      maxInboundFileBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
      // Stopped for good: the admins hear of it on another channel (the dashboard shows it too).
      onHalt: (reason, code) => {
        tellAdminsWhatsAppHalted({ db, outbox }, conversations.texts, reason, code, clock.now()).then(
          () => wakeSender(),
          (err: unknown) => logger.error({ err: String(err) }, "whatsapp: could not tell the admins about the halt"),
        );
      },
      // Several instances on one PostgreSQL database: only the lease holder connects. SQLite is one
      // process by construction (the embedded file), which connects at once with no lease.
      ...(provider === "postgresql" ? { lease: { store: prismaServiceLease(db, "whatsapp"), holder: instanceName() } } : {}),
      // One person under a LID and a phone number: the LID's identity (half-filled form, cases,
      // messages) is merged into the phone number's, in a turn of the person (their lock).
      samePerson: (lid, pn) => mergeWhatsAppIdentities(lid, pn),
      ...opts.whatsapp,
      // Receipts and errors after the send resolved: the outbox row follows them, as for the Cloud API.
      onStatus: (update) => onDeliveryStatus(update),
    });
    channels.set("whatsapp", wa);
    whatsappPairing = wa.pairing;
    whatsappRelink = () => wa.relink();
  }
  if (whatsappCloudEnabled(config)) {
    const { createWhatsAppCloudChannel, whatsappCloudWebhook } = await import("./channels/whatsapp-cloud/index.js");
    const templates = cloudTemplates;
    const missing = templates ? templates.missingKinds() : [...TEMPLATE_KINDS];
    if (missing.length > 0) {
      logger.warn(
        { kinds: missing, file: "whatsapp-templates.yaml", fallback: templates?.get("notification") ? "notification" : "none" },
        "WhatsApp Cloud API: these kinds of message have no template; outside the 24-hour window they wait until the person writes (after the notification template, if there is one)",
      );
    }
    const cloud = createWhatsAppCloudChannel({
      token: config.WHATSAPP_CLOUD_TOKEN!,
      phoneNumberId: config.WHATSAPP_CLOUD_PHONE_NUMBER_ID!,
      apiRoot: config.WHATSAPP_CLOUD_API_ROOT,
      logger: logger.child({ channel: "whatsapp", api: "cloud" }),
      window: prismaWindowStore(db),
      ...(templates ? { templates } : {}),
      clock,
      maxInboundFileBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
      onStatus: async (update) => void (await onDeliveryStatus(update)),
      onWindowOpened: async (address) => {
        if ((await releaseHeld(outbox, "whatsapp", address, clock.now())) > 0) sender.wake();
      },
    });
    channels.set("whatsapp", cloud);
    const webhook = { channel: cloud, appSecret: config.WHATSAPP_CLOUD_APP_SECRET!, verifyToken: config.WHATSAPP_CLOUD_VERIFY_TOKEN! };
    plugins.push(async (app) => {
      await app.register(whatsappCloudWebhook, webhook);
    });
  }
  const mergeWhatsAppIdentities = async (lidJid: string, pn: string): Promise<void> => {
    // Identities are stored under the blind index of the address (src/security/address-index.ts).
    const lid = storedAddress("whatsapp", lidJid);
    // Most pairs Baileys reports are contacts who never wrote to the office: nothing to merge.
    if (!(await db.identity.findUnique({ where: { channel_address: { channel: "whatsapp", address: lid } }, select: { id: true } }))) return;
    await inbox.inTurn({ channel: "whatsapp", id: pn }, `merge:${lid}`, async (turn) => {
      if (provider === "postgresql") await lockPerson(turn.tx, addressKey({ channel: "whatsapp", id: lid }));
      const r = await mergeIdentityInto(turn.tx, { channel: "whatsapp", fromAddress: lid, into: { id: turn.identity.id, address: turn.identity.address }, now: turn.now });
      if (r.merged) turn.audit({ action: "identity.merged", entity: "Identity", entityId: turn.identity.id, detail: { from: r.fromId, session: r.keptSession, messages: r.movedMessages } });
    });
  };
  /** A delivery status from a channel: the outbox row follows it; the admins hear of what needs a person. */
  /** Resolves false when no row has the message id (yet): the Baileys channel tries a failure again shortly. */
  const onDeliveryStatus = async (update: DeliveryUpdate): Promise<boolean> => {
    const outcome = await markDelivery(outbox, update, clock.now());
    if (!outcome) return false;
    if (outcome.action === "requeued") sender.wake();
    if (outcome.action === "unreachable" || (outcome.action === "failed" && outcome.kind !== "delivery_alert")) {
      const reason = outcome.action === "unreachable" ? "unreachable" : outcome.failure === "template_refused" ? "template_refused" : "refused";
      await tellAdminsAboutDelivery({ db, inbox }, { identityId: outcome.identityId, reason, detail: outcome.reason ?? "", outboxId: outcome.outboxId, ...(outcome.kind ? { kind: outcome.kind } : {}) }, clock.now());
    }
    return true;
  };
  const sessionSecret = loadSessionSecret({ envSecret: config.SESSION_SECRET, dataDir: config.DATA_DIR });
  let webSignals: WebChatSignals | undefined;
  if (config.WEB_CHAT_ENABLED) {
    const { createWebChannel, createFileHistoryStore, createSealedRowHistoryStore, webChatPlugin } = await import("./channels/web/index.js");
    const webLogger = logger.child({ channel: "web" });
    // PostgreSQL: the history is in the database and a new entry is signalled to every instance, so
    // the one holding the person's open page pushes it whichever instance wrote it.
    const shared = provider === "postgresql";
    const historyStore = shared
      ? createSealedRowHistoryStore(databaseWebChatRows(db), keys.key)
      : createFileHistoryStore({ dir: path.join(config.DATA_DIR, "webchat"), encryptionKey: keys.key });
    chatHistories.set("web", historyStore);
    if (shared) {
      webSignals = await listenWebChatSignals({
        url: config.DATABASE_URL,
        db,
        onEntry: (personId) => void web.takeNews(personId).catch((e: unknown) => webLogger.warn({ err: (e as Error).message }, "web chat: reading another instance's entry failed")),
        onReconnected: () => void web.takeAllNews().catch((e: unknown) => webLogger.warn({ err: (e as Error).message }, "web chat: catching up after a reconnect failed")),
        logger: webLogger,
      });
    }
    const signals = webSignals;
    const web = createWebChannel({
      maxUploadBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
      logger: webLogger,
      historyStore,
      ...(signals ? { shared: { announce: (personId: string, seq: number) => signals.announce(personId, seq) } } : {}),
    });
    channels.set("web", web);
    plugins.push(webChatPlugin(web, { cookieSecret: sessionSecret, secure: config.publicUrl.startsWith("https:"), texts: conversations.texts, resolveFile: (k) => files.get(k) }));
  }

  /** Telegram's "/" menu for one person, by role; other channels have none. */
  const showCommands = async (who: { channel: string; address: string; language: string }, role: "client" | Role): Promise<void> => {
    const ch = channels.get(who.channel as ChannelName);
    await ch?.setPersonCommands?.(who.address, commandMenu(conversations.texts, who.language, role));
  };
  const sender = new OutboxSender({
    db,
    provider,
    ...(database.sqlite ? { sqlite: database.sqlite } : {}),
    ...(database.postgres ? { postgres: database.postgres } : {}),
    channels: Object.fromEntries(channels),
    readFile: (k) => files.get(k),
    clock,
    logger: logger.child({ area: "outbox" }),
    ...(opts.paceOverride ? { paceOverride: opts.paceOverride } : {}),
    onUnreachable: (identityId, reason) => tellAdminsAboutDelivery({ db, inbox }, { identityId, reason: "unreachable", detail: reason }, clock.now()),
    onRefused: (row, reason) => tellAdminsAboutDelivery({ db, inbox }, { identityId: row.identityId, reason: /template/i.test(reason) || /\b132\d{3}\b/.test(reason) ? "template_refused" : "refused", detail: reason, outboxId: row.id }, clock.now()),
  });
  wakeSender = () => sender.wake();
  const inbox = new Inbox({
    db,
    provider,
    ...(database.sqlite ? { sqlite: database.sqlite } : {}),
    ...(database.postgres ? { postgres: database.postgres } : {}),
    clock,
    logger: logger.child({ area: "inbox" }),
    files,
    texts: () => conversations.texts,
    desks: [new InviteDesk((who, role) => showCommands(who, role)), ...reminderDesks({ calendar }), new AppointmentDesk(appointments), new AnnouncementDesk(), staffDesk, new ImpactDesk(), new MonitoringDesk(), clientDesk],
    startClientFlow,
    onNewIdentity: (who) => showCommands(who, "client"),
    afterCommit: () => sender.wake(),
    maxUploadBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
  });

  plugins.push(
    dashboardPlugin({
      db,
      files,
      texts: () => conversations.texts,
      clock,
      sessionSecret,
      publicUrl: config.publicUrl,
      tz: config.TZ,
      lookupKey: keys.key,
      calendar,
      routing: routingActions(inbox, workflow),
      complaints: complaintActions(inbox),
      announcements: announcementActions(inbox),
      appointments: appointmentActions(inbox, appointments),
      maxUploadBytes: config.MAX_UPLOAD_MB * 1024 * 1024,
      // A confirmed announcement goes out now rather than at the next minute's sweep (in the
      // background: the admin's page does not wait for thousands of rows). Only where the jobs run.
      announcementsQueued: async () => {
        if (!config.SCHEDULER_ENABLED) return;
        sweeper.sweep(clock.now()).catch((err: unknown) => logger.error({ err: String(err) }, "announcement sweep failed"));
      },
      ...(conversations.regions ? { regions: conversations.regions } : {}),
      ...(whatsappPairing ? { whatsapp: { status: () => whatsappPairing!.get() as never, ...(whatsappRelink ? { relink: whatsappRelink } : {}) } } : {}),
    }),
  );
  const app = await buildApp({ db, provider, logger, plugins, bodyLimitBytes: (config.MAX_UPLOAD_MB + 1) * 1024 * 1024 });
  let url = config.publicUrl;
  if (opts.listen !== false) {
    url = await app.listen({ host: config.HOST, port: config.PORT });
    logger.info({ url }, "http server listening");
  } else {
    await app.ready();
  }

  for (const ch of channels.values()) {
    await ch.start(inbox.handleInbound);
    logger.info({ channel: ch.name }, "channel started");
  }
  const sweeper = new Sweeper({ db, provider, ...(database.sqlite ? { sqlite: database.sqlite } : {}), calendar, texts: () => conversations.texts, logger: logger.child({ area: "reminders" }), afterWrite: () => sender.wake() });
  const jobs = [
    ...reminderJobs({ db, sweeper, calendar, nudgeSessions: (now) => runSessionTimers(db, inbox, now, !calendar.isQuiet(now)) }),
    {
      id: "head.weekly",
      // Monday 08:00 in the office's time zone: last week's summary to the head of UPT.
      schedule: "0 8 * * 1",
      run: ({ now }: { now: Date }) =>
        sendWeeklySummaries({ db, inbox, files, tz: config.TZ, texts: () => conversations.texts, regions: () => conversations.regions, calendar }, now),
    },
    retentionJob({
      db,
      files,
      years: config.RETENTION_YEARS,
      logger: logger.child({ area: "retention" }),
      forgetChat,
    }),
  ];
  let scheduler: SchedulerHandle | undefined;
  if (config.SCHEDULER_ENABLED) {
    sender.start();
    scheduler = startScheduler({ jobs, tz: config.TZ, logger: logger.child({ area: "scheduler" }), clock });
  }

  return {
    database,
    url,
    app,
    inbox,
    sender,
    channels,
    files,
    conversations,
    jobs,
    async stop() {
      await scheduler?.stop();
      await sender.stop();
      for (const ch of channels.values()) await ch.stop().catch((e: unknown) => logger.warn({ err: e, channel: ch.name }, "channel stop failed"));
      await app.close();
      await webSignals?.close();
      await database.close();
    },
  };
}

/** This process's name in lease rows: where it runs, and a random part so a restart is another holder. */
function instanceName(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
}
