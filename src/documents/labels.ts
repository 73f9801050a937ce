/**
 * Every fixed word the documents print, one table per language. `DocumentLabels` is written out in
 * full, and each table is declared with that type, so a key missing in one language is a type error.
 * Indonesian follows the office's own vocabulary (Standar Pelayanan: Pengguna Jasa, Formulir
 * Assessment, Lembar Rencana Tindakan dan Evaluasi, Kartu Kontrol Layanan, BAP, Kepala UPT).
 */
import type { Lang } from "../i18n/index.js";

export type NoteKind = "diagnosis" | "note" | "prescription" | "service";
export type PlanProgress = "open" | "done" | "not_yet" | "help";
export type ContactKind =
  | "registration"
  | "consultation"
  | "action_plan"
  | "monitoring"
  | "referral"
  | "report"
  | "relay"
  | "closing"
  | "appointment";
export type SkmCategory = "A" | "B" | "C" | "D";

export interface BapSentenceArgs {
  weekday: string;
  date: string;
  officeName: string;
  regNumber: string;
  consultantName: string;
  areaLabel: string;
  clientName: string;
  businessName: string;
  from: string;
  to: string;
  closed: boolean;
}

export interface DocumentLabels {
  common: {
    pageOf: (page: number, total: number) => string;
    none: string;
    noData: string;
    telephone: string;
    email: string;
    website: string;
    minutesUnit: string;
    peopleUnit: (n: string) => string;
    placeDate: (place: string, date: string) => string;
    nip: string;
    acknowledged: string;
    headOf: (officeName: string) => string;
    /** Shown where a signer's name is not known yet. */
    blankName: string;
    no: string;
  };
  finalReport: {
    titleLines: [string, string];
    documentShortName: string;
    regNumber: string;
    sections: {
      service: string;
      client: string;
      business: string;
      problem: string;
      diagnosis: string;
      prescription: string;
      services: string;
      referrals: string;
      actionPlan: string;
      monitoring: string;
      results: string;
      recommendations: string;
      stepTimes: string;
      bap: string;
    };
    fields: {
      registeredAt: string;
      closedAt: string;
      status: string;
      statusClosed: string;
      statusOpen: string;
      area: string;
      consultant: string;
      clientName: string;
      nik: string;
      phone: string;
      address: string;
      kecamatan: string;
      businessName: string;
      sector: string;
      products: string;
      legalForm: string;
      nib: string;
      yearStarted: string;
      workers: string;
      turnoverBand: string;
    };
    problemIntro: string;
    assessmentIntro: string;
    question: string;
    answer: string;
    noteDate: string;
    noteKind: string;
    noteText: string;
    noteKinds: Record<NoteKind, string>;
    referralDate: string;
    referralFrom: string;
    referralToArea: string;
    referralTo: string;
    referralReason: string;
    noReferrals: string;
    planAction: string;
    planWho: string;
    planTarget: string;
    planIndicator: string;
    planProgress: string;
    planEvaluation: string;
    progress: Record<PlanProgress, string>;
    monitoringScheduled: string;
    monitoringClientReport: string;
    monitoringEvaluation: string;
    monitoringNoReport: string;
    monitoringNoEvaluation: string;
    stepNo: string;
    stepName: string;
    stepStandard: string;
    stepActual: string;
    stepRemark: string;
    stepWithin: string;
    stepOver: string;
    stepNotRecorded: string;
    stepTotal: string;
    legalForms: Record<string, string>;
    bapSentence: (a: BapSentenceArgs) => string;
    bapClosing: string;
    /** "Disetujui pengguna jasa melalui Telegram pada 5 Desember 2026 10.15 WITA". */
    agreedVia: (channel: string, when: string) => string;
    notYetAgreed: string;
    archivedBy: (name: string) => string;
    signClient: string;
    signConsultant: string;
  };
  controlCard: {
    title: string;
    subtitle: string;
    documentShortName: string;
    client: string;
    business: string;
    regNumber: string;
    consultant: string;
    area: string;
    no: string;
    at: string;
    staff: string;
    contactKind: string;
    summary: string;
    paraf: string;
    contactKinds: Record<ContactKind, string>;
    note: string;
  };
  officeReport: {
    title: string;
    documentShortName: string;
    addressedTo: (officeName: string) => string;
    period: string;
    periodRange: (from: string, to: string) => string;
    sections: {
      summary: string;
      byArea: string;
      byService: string;
      byKecamatan: string;
      bySector: string;
      byConsultant: string;
      sla: string;
      skm: string;
    };
    totals: {
      clientsServed: string;
      newClients: string;
      returningClients: string;
      casesOpened: string;
      casesClosed: string;
      casesOpen: string;
      referrals: string;
      complaints: string;
      complaintsAnsweredInTime: string;
    };
    item: string;
    value: string;
    label: string;
    count: string;
    share: string;
    total: string;
    slaStep: string;
    slaName: string;
    slaStandard: string;
    slaCount: string;
    slaMedian: string;
    slaP90: string;
    slaWithin: string;
    /** Median time from a complaint to its answer, in working hours. */
    complaintMedianAnswerHours: string;
    skmRespondents: string;
    skmIndex: string;
    skmCategory: string;
    skmCategories: Record<SkmCategory, string>;
    skmCode: string;
    skmElement: string;
    skmAverage: string;
    skmNoResponses: string;
    preparedBy: string;
    preparedByRole: string;
    office: string;
    periodFrom: string;
    periodTo: string;
    sheetNames: {
      summary: string;
      byArea: string;
      byService: string;
      byKecamatan: string;
      bySector: string;
      byConsultant: string;
      sla: string;
      skm: string;
    };
  };
}

const id: DocumentLabels = {
  common: {
    pageOf: (page, total) => `Halaman ${page} dari ${total}`,
    none: "-",
    noData: "Tidak ada data.",
    telephone: "Telp.",
    email: "Email",
    website: "Laman",
    minutesUnit: "menit",
    peopleUnit: (n) => `${n} orang`,
    placeDate: (place, date) => `${place}, ${date}`,
    nip: "NIP.",
    acknowledged: "Mengetahui,",
    headOf: (officeName) => `Kepala ${officeName}`,
    blankName: "(.......................................)",
    no: "No.",
  },
  finalReport: {
    titleLines: ["LAPORAN AKHIR DAN BERITA ACARA PEMERIKSAAN (BAP)", "LAYANAN KONSULTASI"],
    documentShortName: "Laporan Akhir dan BAP",
    regNumber: "Nomor Registrasi",
    sections: {
      service: "Data Layanan",
      client: "Identitas Pengguna Jasa",
      business: "Profil Usaha",
      problem: "Permasalahan dan Hasil Assessment",
      diagnosis: "Diagnosa",
      prescription: "Preskripsi dan Catatan Konsultasi",
      services: "Layanan yang Diberikan",
      referrals: "Rujukan",
      actionPlan: "Rencana Tindakan dan Evaluasi",
      monitoring: "Monitoring dan Evaluasi",
      results: "Hasil Layanan",
      recommendations: "Rekomendasi",
      stepTimes: "Waktu Penyelesaian Layanan",
      bap: "Berita Acara Pemeriksaan",
    },
    fields: {
      registeredAt: "Tanggal Pendaftaran",
      closedAt: "Tanggal Selesai",
      status: "Status Layanan",
      statusClosed: "Selesai",
      statusOpen: "Dalam proses",
      area: "Bidang Konsultasi",
      consultant: "Konsultan",
      clientName: "Nama",
      nik: "NIK",
      phone: "Nomor Telepon",
      address: "Alamat",
      kecamatan: "Kecamatan",
      businessName: "Nama Usaha",
      sector: "Sektor Usaha",
      products: "Produk/Jasa",
      legalForm: "Bentuk Usaha",
      nib: "NIB/TDP",
      yearStarted: "Tahun Mulai Usaha",
      workers: "Jumlah Tenaga Kerja",
      turnoverBand: "Omzet per Bulan",
    },
    problemIntro: "Permasalahan sebagaimana disampaikan oleh Pengguna Jasa:",
    assessmentIntro: "Jawaban pada Formulir Assessment:",
    question: "Pertanyaan",
    answer: "Jawaban",
    noteDate: "Tanggal",
    noteKind: "Jenis",
    noteText: "Uraian",
    noteKinds: { diagnosis: "Diagnosa", note: "Catatan", prescription: "Preskripsi", service: "Layanan" },
    referralDate: "Tanggal",
    referralFrom: "Dari Konsultan",
    referralToArea: "Ke Bidang",
    referralTo: "Konsultan Tujuan",
    referralReason: "Alasan dan Rekomendasi",
    noReferrals: "Tidak ada rujukan ke konsultan lain.",
    planAction: "Tindakan",
    planWho: "Pelaksana",
    planTarget: "Target Waktu",
    planIndicator: "Indikator Keberhasilan",
    planProgress: "Kemajuan",
    planEvaluation: "Evaluasi",
    progress: { open: "Belum dilaporkan", done: "Terlaksana", not_yet: "Belum terlaksana", help: "Perlu bantuan" },
    monitoringScheduled: "Jadwal",
    monitoringClientReport: "Laporan Pengguna Jasa",
    monitoringEvaluation: "Evaluasi Konsultan",
    monitoringNoReport: "Belum ada laporan",
    monitoringNoEvaluation: "Belum dievaluasi",
    stepNo: "Tahap",
    stepName: "Uraian Kegiatan",
    stepStandard: "Standar (menit)",
    stepActual: "Realisasi (menit)",
    stepRemark: "Keterangan",
    stepWithin: "Sesuai standar",
    stepOver: "Melebihi standar",
    stepNotRecorded: "Belum tercatat",
    stepTotal: "Jumlah",
    legalForms: {
      perorangan: "Perorangan",
      cv: "CV",
      pt: "PT",
      koperasi: "Koperasi",
      ud: "UD",
      firma: "Firma",
      lainnya: "Lainnya",
    },
    bapSentence: (a) =>
      `Pada hari ini, ${a.weekday} tanggal ${a.date}, telah dilaksanakan pemeriksaan atas layanan konsultasi ` +
      `pada ${a.officeName} dengan Nomor Registrasi ${a.regNumber}, yang diberikan oleh Konsultan ` +
      `${a.consultantName} (${a.areaLabel}) kepada Pengguna Jasa ${a.clientName} selaku pemilik/pengelola ` +
      `usaha ${a.businessName}, ` +
      (a.closed
        ? `sejak tanggal ${a.from} sampai dengan tanggal ${a.to}. `
        : `sejak tanggal ${a.from} dan masih berlangsung sampai dengan tanggal ${a.to}. `) +
      `Hasil pemeriksaan, rencana tindakan, monitoring dan evaluasi, serta rekomendasi adalah sebagaimana ` +
      `diuraikan dalam laporan akhir ini.`,
    bapClosing:
      "Demikian Berita Acara Pemeriksaan ini dibuat dengan sebenarnya untuk dapat dipergunakan sebagaimana mestinya.",
    agreedVia: (channel, when) => `Disetujui pengguna jasa melalui ${channel} pada ${when}.`,
    notYetAgreed: "Belum disetujui pengguna jasa.",
    archivedBy: (name) => `Diarsipkan oleh admin ${name}.`,
    signClient: "Pengguna Jasa,",
    signConsultant: "Konsultan,",
  },
  controlCard: {
    title: "KARTU KONTROL LAYANAN",
    subtitle: "LAYANAN KONSULTASI",
    documentShortName: "Kartu Kontrol Layanan",
    client: "Nama Pengguna Jasa",
    business: "Nama Usaha",
    regNumber: "Nomor Registrasi",
    consultant: "Konsultan",
    area: "Bidang",
    no: "No.",
    at: "Tanggal / Waktu",
    staff: "Petugas",
    contactKind: "Jenis Kontak",
    summary: "Uraian Layanan",
    paraf: "Paraf",
    contactKinds: {
      registration: "Pendaftaran",
      consultation: "Konsultasi",
      action_plan: "Rencana Tindakan",
      monitoring: "Monitoring dan Evaluasi",
      referral: "Rujukan",
      report: "Laporan Akhir dan BAP",
      relay: "Pesan",
      closing: "Penutupan Layanan",
      appointment: "Janji Temu",
    },
    note: "Kartu ini diisi oleh Bagian Administrasi Layanan dan/atau Konsultan pada setiap kontak layanan.",
  },
  officeReport: {
    title: "LAPORAN LAYANAN KONSULTASI",
    documentShortName: "Laporan Layanan Konsultasi",
    addressedTo: (officeName) => `Kepada Yth. Kepala ${officeName}`,
    period: "Periode",
    periodRange: (from, to) => `${from} s.d. ${to}`,
    sections: {
      summary: "Ringkasan",
      byArea: "Layanan menurut Bidang Konsultasi",
      byService: "Layanan menurut Jenis Layanan",
      byKecamatan: "Pengguna Jasa menurut Kecamatan",
      bySector: "Pengguna Jasa menurut Sektor Usaha",
      byConsultant: "Layanan menurut Konsultan",
      sla: "Waktu Penyelesaian per Tahapan SOP",
      skm: "Survei Kepuasan Masyarakat (SKM)",
    },
    totals: {
      clientsServed: "Pengguna jasa yang dilayani",
      newClients: "Pengguna jasa baru",
      returningClients: "Pengguna jasa lama",
      casesOpened: "Layanan dibuka",
      casesClosed: "Layanan selesai",
      casesOpen: "Layanan masih berjalan",
      referrals: "Rujukan ke konsultan lain",
      complaints: "Pengaduan",
      complaintsAnsweredInTime: "Pengaduan dijawab dalam batas waktu",
    },
    item: "Uraian",
    value: "Nilai",
    label: "Uraian",
    count: "Jumlah",
    share: "Persentase",
    total: "Jumlah",
    slaStep: "Tahap",
    slaName: "Uraian Kegiatan",
    slaStandard: "Standar (menit)",
    slaCount: "Jumlah",
    slaMedian: "Median (menit)",
    slaP90: "P90 (menit)",
    slaWithin: "Sesuai Standar",
    complaintMedianAnswerHours: "Median waktu menjawab pengaduan (jam kerja)",
    skmRespondents: "Jumlah responden",
    skmIndex: "Indeks Kepuasan Masyarakat (IKM)",
    skmCategory: "Mutu pelayanan",
    skmCategories: { A: "Sangat Baik", B: "Baik", C: "Kurang Baik", D: "Tidak Baik" },
    skmCode: "Kode",
    skmElement: "Unsur Pelayanan",
    skmAverage: "Nilai Rata-rata",
    skmNoResponses: "Belum ada responden pada periode ini.",
    preparedBy: "Dilaporkan oleh,",
    preparedByRole: "Administrasi Layanan",
    office: "Kantor",
    periodFrom: "Dari tanggal",
    periodTo: "Sampai tanggal",
    sheetNames: {
      summary: "Ringkasan",
      byArea: "Per Bidang",
      byService: "Per Layanan",
      byKecamatan: "Per Kecamatan",
      bySector: "Per Sektor",
      byConsultant: "Per Konsultan",
      sla: "Waktu per Tahap",
      skm: "SKM",
    },
  },
};

const en: DocumentLabels = {
  common: {
    pageOf: (page, total) => `Page ${page} of ${total}`,
    none: "-",
    noData: "No data.",
    telephone: "Tel.",
    email: "Email",
    website: "Website",
    minutesUnit: "minutes",
    peopleUnit: (n) => `${n} people`,
    placeDate: (place, date) => `${place}, ${date}`,
    nip: "NIP.",
    acknowledged: "Acknowledged by,",
    headOf: (officeName) => `Head of ${officeName}`,
    blankName: "(.......................................)",
    no: "No.",
  },
  finalReport: {
    titleLines: ["FINAL REPORT AND OFFICIAL MINUTES (BAP)", "CONSULTATION SERVICE"],
    documentShortName: "Final Report and BAP",
    regNumber: "Registration Number",
    sections: {
      service: "Service Details",
      client: "Client Identity",
      business: "Business Profile",
      problem: "Problem and Assessment",
      diagnosis: "Diagnosis",
      prescription: "Prescription and Consultation Notes",
      services: "Services Provided",
      referrals: "Referrals",
      actionPlan: "Action Plan and Evaluation",
      monitoring: "Monitoring and Evaluation",
      results: "Results",
      recommendations: "Recommendations",
      stepTimes: "Service Completion Time",
      bap: "Official Minutes of Examination",
    },
    fields: {
      registeredAt: "Registration Date",
      closedAt: "Completion Date",
      status: "Service Status",
      statusClosed: "Completed",
      statusOpen: "In progress",
      area: "Consultation Area",
      consultant: "Consultant",
      clientName: "Name",
      nik: "NIK (ID number)",
      phone: "Phone Number",
      address: "Address",
      kecamatan: "District (Kecamatan)",
      businessName: "Business Name",
      sector: "Sector",
      products: "Products/Services",
      legalForm: "Legal Form",
      nib: "NIB/TDP",
      yearStarted: "Year Started",
      workers: "Number of Workers",
      turnoverBand: "Monthly Turnover",
    },
    problemIntro: "The problem in the client's own words:",
    assessmentIntro: "Answers in the Assessment Form:",
    question: "Question",
    answer: "Answer",
    noteDate: "Date",
    noteKind: "Type",
    noteText: "Description",
    noteKinds: { diagnosis: "Diagnosis", note: "Note", prescription: "Prescription", service: "Service" },
    referralDate: "Date",
    referralFrom: "From Consultant",
    referralToArea: "To Area",
    referralTo: "Receiving Consultant",
    referralReason: "Reason and Recommendation",
    noReferrals: "No referral to another consultant.",
    planAction: "Action",
    planWho: "Responsible",
    planTarget: "Target Date",
    planIndicator: "Success Indicator",
    planProgress: "Progress",
    planEvaluation: "Evaluation",
    progress: { open: "Not reported yet", done: "Done", not_yet: "Not done yet", help: "Needs help" },
    monitoringScheduled: "Scheduled",
    monitoringClientReport: "Client's Report",
    monitoringEvaluation: "Consultant's Evaluation",
    monitoringNoReport: "No report yet",
    monitoringNoEvaluation: "Not evaluated yet",
    stepNo: "Step",
    stepName: "Activity",
    stepStandard: "Standard (minutes)",
    stepActual: "Actual (minutes)",
    stepRemark: "Remark",
    stepWithin: "Within standard",
    stepOver: "Over standard",
    stepNotRecorded: "Not recorded",
    stepTotal: "Total",
    legalForms: {
      perorangan: "Sole proprietorship",
      cv: "CV (limited partnership)",
      pt: "PT (limited company)",
      koperasi: "Cooperative",
      ud: "UD (trading business)",
      firma: "Firm (partnership)",
      lainnya: "Other",
    },
    bapSentence: (a) =>
      `On this day, ${a.weekday} ${a.date}, an examination was carried out of the consultation service ` +
      `of ${a.officeName} under Registration Number ${a.regNumber}, given by consultant ` +
      `${a.consultantName} (${a.areaLabel}) to the client ${a.clientName}, owner/manager of the business ` +
      `${a.businessName}, ` +
      (a.closed ? `from ${a.from} to ${a.to}. ` : `from ${a.from} and still in progress on ${a.to}. `) +
      `The findings, action plan, monitoring and evaluation, and recommendations are set out in this final report.`,
    bapClosing: "These minutes have been drawn up truthfully, to be used as appropriate.",
    agreedVia: (channel, when) => `Agreed by the client through ${channel} on ${when}.`,
    notYetAgreed: "Not yet agreed by the client.",
    archivedBy: (name) => `Archived by admin ${name}.`,
    signClient: "Client,",
    signConsultant: "Consultant,",
  },
  controlCard: {
    title: "SERVICE CONTROL CARD",
    subtitle: "CONSULTATION SERVICE",
    documentShortName: "Service Control Card",
    client: "Client Name",
    business: "Business Name",
    regNumber: "Registration Number",
    consultant: "Consultant",
    area: "Area",
    no: "No.",
    at: "Date / Time",
    staff: "Staff",
    contactKind: "Contact Type",
    summary: "Service Summary",
    paraf: "Initials",
    contactKinds: {
      registration: "Registration",
      consultation: "Consultation",
      action_plan: "Action plan",
      monitoring: "Monitoring and evaluation",
      referral: "Referral",
      report: "Final report and BAP",
      relay: "Message",
      closing: "Service closed",
      appointment: "Appointment",
    },
    note: "This card is filled in by the service administration and/or the consultant at every service contact.",
  },
  officeReport: {
    title: "CONSULTATION SERVICE REPORT",
    documentShortName: "Consultation Service Report",
    addressedTo: (officeName) => `To: the Head of ${officeName}`,
    period: "Period",
    periodRange: (from, to) => `${from} to ${to}`,
    sections: {
      summary: "Summary",
      byArea: "Services by Consultation Area",
      byService: "Services by Type of Service",
      byKecamatan: "Clients by District (Kecamatan)",
      bySector: "Clients by Business Sector",
      byConsultant: "Services by Consultant",
      sla: "Completion Time per SOP Step",
      skm: "Public Satisfaction Survey (SKM)",
    },
    totals: {
      clientsServed: "Clients served",
      newClients: "New clients",
      returningClients: "Returning clients",
      casesOpened: "Cases opened",
      casesClosed: "Cases closed",
      casesOpen: "Cases still open",
      referrals: "Referrals to another consultant",
      complaints: "Complaints",
      complaintsAnsweredInTime: "Complaints answered within the deadline",
    },
    item: "Item",
    value: "Value",
    label: "Item",
    count: "Count",
    share: "Share",
    total: "Total",
    slaStep: "Step",
    slaName: "Activity",
    slaStandard: "Standard (minutes)",
    slaCount: "Count",
    slaMedian: "Median (minutes)",
    slaP90: "P90 (minutes)",
    slaWithin: "Within Standard",
    complaintMedianAnswerHours: "Median time to answer a complaint (working hours)",
    skmRespondents: "Respondents",
    skmIndex: "Satisfaction Index (IKM)",
    skmCategory: "Service quality",
    skmCategories: { A: "Very Good", B: "Good", C: "Poor", D: "Very Poor" },
    skmCode: "Code",
    skmElement: "Service Element",
    skmAverage: "Average Score",
    skmNoResponses: "No respondents in this period.",
    preparedBy: "Reported by,",
    preparedByRole: "Service Administration",
    office: "Office",
    periodFrom: "From",
    periodTo: "To",
    sheetNames: {
      summary: "Summary",
      byArea: "By Area",
      byService: "By Service",
      byKecamatan: "By Kecamatan",
      bySector: "By Sector",
      byConsultant: "By Consultant",
      sla: "Time per Step",
      skm: "SKM",
    },
  },
};

export const LABELS: Readonly<Record<Lang, DocumentLabels>> = Object.freeze({ id, en });

export function labelsFor(lang: Lang): DocumentLabels {
  return LABELS[lang];
}

/** The control-card label for a contact-kind code (the renderer takes labels; callers may use this). */
export function contactKindLabel(kind: ContactKind, lang: Lang): string {
  return LABELS[lang].controlCard.contactKinds[kind];
}
