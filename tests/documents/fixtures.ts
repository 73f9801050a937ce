/**
 * Realistic data for the document renderers: a coffee-powder business in Tampaksiring referred
 * from marketing to finance, with long texts that force page breaks and emoji in what the client typed.
 */
import { DEFAULT_OFFICE } from "../../src/documents/office.js";
import type { FinalReportData } from "../../src/documents/final-report-pdf.js";
import type { ControlCardData } from "../../src/documents/control-card-pdf.js";
import type { OfficeReport } from "../../src/documents/office-report.js";

/** 28 November 2026 is a Saturday; 14:05 WITA is 06:05 UTC. */
export const REPORT_DATE = new Date("2026-11-28T06:05:00Z");
export const REG = "PLUT-GIA-2026-000123";

/** WITA wall-clock time to a Date. */
export const wita = (iso: string): Date => new Date(`${iso}+08:00`);

const longProblem =
  "Usaha kopi bubuk saya sudah berjalan sejak 2015 di Desa Manukaya, Tampaksiring. Selama dua tahun " +
  "terakhir penjualan turun hampir separuh 📉 karena banyak pesaing yang menjual kopi kemasan di " +
  "marketplace dengan harga lebih murah. Saya belum punya izin edar PIRT dan label kemasan saya masih " +
  "sederhana, sehingga toko oleh-oleh di Ubud menolak menitipkan produk kami 😢. Saya juga bingung " +
  "bagaimana menghitung harga pokok produksi karena harga biji kopi dari petani naik turun setiap musim, " +
  "dan pembukuan masih dicatat di buku tulis oleh anak saya. Kami ingin mengajukan KUR ke bank tetapi " +
  "tidak tahu syaratnya apa saja dan takut ditolak karena tidak punya laporan keuangan. Mohon bantuannya 🙏🏽 " +
  "terima kasih banyak 👨‍👩‍👧.";

const paragraph = (topic: string) =>
  `${topic} Konsultan menjelaskan langkah-langkah secara rinci kepada pengguna jasa, termasuk contoh ` +
  "perhitungan, daftar dokumen yang perlu disiapkan, dan jadwal tindak lanjut yang disepakati bersama. " +
  "Pengguna jasa diminta mencatat setiap transaksi harian pada buku kas sederhana, memisahkan uang usaha " +
  "dari uang rumah tangga, serta menyimpan bukti pembelian bahan baku agar dapat dipakai sebagai dasar " +
  "penyusunan laporan laba rugi bulanan dan pengajuan pembiayaan.";

export function finalReportData(overrides: Partial<FinalReportData> = {}): FinalReportData {
  return {
    office: { ...DEFAULT_OFFICE },
    case: {
      regNumber: REG,
      createdAt: wita("2026-11-02T09:15"),
      closedAt: wita("2026-11-27T15:30"),
      areaLabel: "Pemasaran",
      consultantName: "I Made Sutama, S.E.",
      referrals: [
        {
          at: wita("2026-11-10T10:00"),
          fromName: "I Made Sutama, S.E.",
          toAreaLabel: "Pembiayaan",
          toName: "Ni Kadek Dewi Lestari, S.Ak.",
          reason:
            "Pengguna jasa membutuhkan pendampingan penyusunan laporan keuangan sederhana dan persiapan pengajuan KUR, di luar kompetensi konsultan pemasaran.",
        },
      ],
    },
    client: {
      name: "Ni Luh Putu Ayu Wulandari 🌺",
      nikMasked: "5104**********0001",
      phone: "+62 812-3456-7890",
      address: "Banjar Manukaya Let, Desa Manukaya, Tampaksiring",
      kecamatanLabel: "Tampaksiring",
    },
    business: {
      name: "Kopi Bubuk Sari Merta",
      sector: "Industri pengolahan makanan dan minuman",
      products: "Kopi bubuk robusta dan arabika Kintamani kemasan 100 g dan 250 g",
      legalForm: "perorangan",
      nib: "9120001234567",
      yearStarted: 2015,
      workers: 4,
      turnoverBand: "Rp5 juta - Rp15 juta",
    },
    problem: longProblem,
    assessment: [
      { question: "Sejak kapan usaha berjalan?", answer: "2015" },
      { question: "Apa masalah utama usaha Anda saat ini?", answer: "Pemasaran, perizinan (PIRT) dan pembiayaan 💸" },
      { question: "Saluran pemasaran yang sudah digunakan", answer: "Penjualan langsung, WhatsApp, titip di warung" },
      { question: "Apakah usaha sudah memiliki pembukuan?", answer: "Belum, masih dicatat di buku tulis" },
      { question: "Bantuan apa yang diharapkan dari PLUT?", answer: longProblem },
    ],
    diagnosis:
      "Permasalahan utama terletak pada legalitas produk (belum memiliki SPP-IRT), kemasan yang belum memenuhi " +
      "ketentuan label pangan, penetapan harga yang belum berbasis harga pokok produksi, serta belum adanya " +
      "pencatatan keuangan yang memadai sebagai syarat akses pembiayaan.",
    notes: [
      { at: wita("2026-11-03T10:00"), kind: "diagnosis", text: paragraph("Diagnosa awal atas legalitas dan pemasaran.") },
      { at: wita("2026-11-03T10:40"), kind: "prescription", text: paragraph("Preskripsi: urus SPP-IRT melalui OSS dan Dinas Kesehatan.") },
      { at: wita("2026-11-05T13:00"), kind: "note", text: paragraph("Catatan pendampingan desain kemasan dan label.") },
      { at: wita("2026-11-12T09:30"), kind: "service", text: paragraph("Pendampingan pembukuan sederhana dengan aplikasi.") },
      { at: wita("2026-11-19T11:00"), kind: "prescription", text: paragraph("Persiapan berkas pengajuan KUR mikro.") },
    ],
    services: ["Konsultasi bisnis", "Pendampingan", "Promosi dan pemasaran", "Akses pembiayaan"],
    actionPlan: [
      {
        action: "Mendaftar SPP-IRT melalui OSS dan mengikuti penyuluhan keamanan pangan",
        who: "Pengguna jasa",
        targetDate: wita("2026-11-20T00:00"),
        indicator: "Nomor SPP-IRT terbit",
        progress: "done",
        evaluation: "Sudah terbit pada 18 November 2026 ✅",
      },
      {
        action: "Mendesain ulang label kemasan sesuai ketentuan label pangan olahan",
        who: "Pengguna jasa dan konsultan pemasaran",
        targetDate: wita("2026-11-25T00:00"),
        indicator: "Label baru dicetak",
        progress: "help",
        evaluation: null,
      },
      {
        action: "Mencatat transaksi harian pada aplikasi pembukuan selama satu bulan",
        who: "Anak pengguna jasa",
        targetDate: wita("2026-12-15T00:00"),
        indicator: "Laporan laba rugi November tersusun",
        progress: "open",
      },
    ],
    monitoring: [
      {
        scheduledFor: wita("2026-11-20T10:00"),
        clientReport: "SPP-IRT sudah terbit, label sedang didesain 👍",
        evaluation: "Kemajuan baik; lanjutkan pendampingan desain label.",
      },
      { scheduledFor: wita("2026-12-18T10:00"), clientReport: null, evaluation: null },
    ],
    results: paragraph("Pengguna jasa telah memperoleh SPP-IRT dan memahami cara menghitung harga pokok produksi."),
    recommendations:
      "1. Melanjutkan pencatatan keuangan setiap hari.\n2. Mengajukan KUR mikro setelah laporan keuangan tiga bulan tersedia.\n" +
      "3. Mengikuti pelatihan pemasaran digital PLUT bulan Desember.",
    stepTimes: [
      { step: 1, name: "Pengisian formulir pendaftaran dan assessment", standardMinutes: 3, actualMinutes: 4 },
      { step: 2, name: "Pemeriksaan berkas oleh Administrasi Layanan", standardMinutes: 7, actualMinutes: 5 },
      { step: 3, name: "Assessment awal dan rujukan ke konsultan terkait", standardMinutes: 15, actualMinutes: 12 },
      { step: 4, name: "Diagnosa, konsultasi dan preskripsi", standardMinutes: 20, actualMinutes: 35 },
      { step: 5, name: "Pengisian Lembar Rencana Tindakan dan Evaluasi", standardMinutes: 10, actualMinutes: 9 },
      { step: 6, name: "Monitoring dan evaluasi", standardMinutes: 45, actualMinutes: 40 },
      { step: 7, name: "Rujukan ke konsultan lainnya", standardMinutes: 5, actualMinutes: 5 },
      { step: 8, name: "Laporan akhir dan BAP", standardMinutes: 45, actualMinutes: 30 },
      { step: 9, name: "Pengisian Kartu Kontrol Layanan", standardMinutes: 10, actualMinutes: null },
      { step: 10, name: "Pencatatan dan pengarsipan", standardMinutes: 10, actualMinutes: null },
      { step: 11, name: "Laporan kepada Kepala UPT PLUT-KUMKM", standardMinutes: 5, actualMinutes: null },
    ],
    signatures: {
      client: { name: "Ni Luh Putu Ayu Wulandari" },
      consultant: { name: "I Made Sutama, S.E.", nip: null },
      head: { name: "Drs. I Wayan Suardana, M.Si.", nip: "19700412 199503 1 004" },
    },
    place: "Gianyar",
    date: REPORT_DATE,
    ...overrides,
  };
}

const kinds = ["Pendaftaran", "Konsultasi", "Rencana Tindakan", "Monitoring dan Evaluasi", "Rujukan", "Pesan"];

export function controlCardData(lines = 40): ControlCardData {
  const start = wita("2026-11-02T09:15").getTime();
  return {
    office: { ...DEFAULT_OFFICE },
    case: { regNumber: REG, consultantName: "I Made Sutama, S.E.", areaLabel: "Pemasaran" },
    client: { name: "Ni Luh Putu Ayu Wulandari 🌺", nikMasked: "5104**********0001" },
    business: { name: "Kopi Bubuk Sari Merta" },
    entries: Array.from({ length: lines }, (_, i) => ({
      no: i + 1,
      at: new Date(start + i * 7 * 3600_000 + i * 60_000),
      staffName: i % 3 === 0 ? "Komang Ayu Pradnyani (Administrasi)" : "I Made Sutama, S.E.",
      contactKind: kinds[i % kinds.length] ?? "Konsultasi",
      summary:
        `Kontak layanan ke-${i + 1}: ` +
        (i % 5 === 4
          ? "pengguna jasa melaporkan kemajuan rencana tindakan, konsultan memberikan evaluasi dan saran perbaikan label kemasan, serta menyepakati jadwal monitoring berikutnya bersama pengguna jasa 🙂."
          : "tindak lanjut konsultasi."),
    })),
    printedAt: REPORT_DATE,
  };
}

export function officeReport(): OfficeReport {
  return {
    office: { ...DEFAULT_OFFICE },
    period: { from: wita("2026-11-01T00:00"), to: wita("2026-11-30T23:59"), label: "November 2026" },
    totals: {
      clientsServed: 57,
      newClients: 41,
      returningClients: 16,
      casesOpened: 49,
      casesClosed: 38,
      casesOpen: 22,
      referrals: 6,
      complaints: 1,
      complaintsAnsweredInTime: 1,
      complaintMedianAnswerHours: 5.5,
    },
    byArea: [
      { label: "Pemasaran", count: 18 },
      { label: "Pembiayaan", count: 12 },
      { label: "Produksi", count: 9 },
      { label: "Kelembagaan", count: 4 },
      { label: "SDM", count: 2 },
      { label: "Legal dan Perizinan", count: 4 },
    ],
    byService: [
      { label: "Konsultasi bisnis", count: 49 },
      { label: "Pendampingan", count: 21 },
      { label: "Akses pembiayaan", count: 12 },
      { label: "Promosi dan pemasaran", count: 15 },
    ],
    byKecamatan: [
      { label: "Sukawati", count: 12 },
      { label: "Blahbatuh", count: 7 },
      { label: "Gianyar", count: 14 },
      { label: "Tampaksiring", count: 6 },
      { label: "Ubud", count: 10 },
      { label: "Tegallalang", count: 5 },
      { label: "Payangan", count: 2 },
      { label: "Luar Kabupaten Gianyar", count: 1 },
    ],
    bySector: [
      { label: "Makanan dan minuman", count: 25 },
      { label: "Kerajinan", count: 19 },
      { label: "Fesyen", count: 8 },
      { label: "Jasa", count: 5 },
    ],
    byConsultant: [
      { label: "I Made Sutama, S.E.", count: 20 },
      { label: "Ni Kadek Dewi Lestari, S.Ak.", count: 15 },
      { label: "I Gusti Ngurah Putra", count: 14 },
    ],
    sla: [
      { step: 1, name: "Pengisian formulir", standardMinutes: 3, count: 49, medianMinutes: 4, p90Minutes: 9.5, withinStandardShare: 0.42 },
      { step: 2, name: "Pemeriksaan berkas", standardMinutes: 7, count: 49, medianMinutes: 5, p90Minutes: 8, withinStandardShare: 0.86 },
      { step: 3, name: "Assessment awal dan rujukan", standardMinutes: 15, count: 47, medianMinutes: 11, p90Minutes: 19, withinStandardShare: 0.81 },
      { step: 4, name: "Diagnosa dan konsultasi", standardMinutes: 20, count: 45, medianMinutes: 26.5, p90Minutes: 48, withinStandardShare: 0.38 },
      { step: 11, name: "Laporan kepada Kepala UPT", standardMinutes: 5, count: 0, medianMinutes: null, p90Minutes: null, withinStandardShare: null },
    ],
    skm: {
      respondents: 31,
      index: 84.52,
      category: "B",
      perElement: [
        { code: "U1", label: "Persyaratan", average: 3.35 },
        { code: "U2", label: "Sistem, mekanisme dan prosedur", average: 3.42 },
        { code: "U3", label: "Waktu penyelesaian", average: 3.1 },
        { code: "U4", label: "Biaya/tarif", average: 3.9 },
        { code: "U5", label: "Produk spesifikasi jenis pelayanan", average: 3.3 },
        { code: "U6", label: "Kompetensi pelaksana", average: 3.45 },
        { code: "U7", label: "Perilaku pelaksana", average: 3.6 },
        { code: "U8", label: "Penanganan pengaduan, saran dan masukan", average: 3.2 },
        { code: "U9", label: "Sarana dan prasarana", average: 3.11 },
      ],
    },
    generatedAt: REPORT_DATE,
    place: "Gianyar",
    signatures: { preparedBy: { name: "Komang Ayu Pradnyani" }, head: { name: "Drs. I Wayan Suardana, M.Si.", nip: "19700412 199503 1 004" } },
  };
}
