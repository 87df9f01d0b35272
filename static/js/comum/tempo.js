// Times in pt-BR, in the browser's own zone: only the hour for today, date
// and hour before; relative wording for the room list.

const hora = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit' });
const diaMes = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit' });
const diaMesAno = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', year: 'numeric' });
const completa = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'full', timeStyle: 'short' });

function mesmoDia(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function ontem(data, agora) {
  const dia = new Date(agora);
  dia.setDate(dia.getDate() - 1);
  return mesmoDia(data, dia);
}

function dataEHora(data, agora) {
  const dia = data.getFullYear() === agora.getFullYear() ? diaMes.format(data) : diaMesAno.format(data);
  return `${dia} ${hora.format(data)}`;
}

/** "14:05" today, "ontem 14:05", "22/11 14:05", "22/11/2025 14:05". */
export function horaDaMensagem(iso, agora = new Date()) {
  const data = new Date(iso);
  if (Number.isNaN(data.getTime())) return '';
  if (mesmoDia(data, agora)) return hora.format(data);
  if (ontem(data, agora)) return `ontem ${hora.format(data)}`;
  return dataEHora(data, agora);
}

/** "sábado, 22 de novembro de 2026 14:05" for a title attribute. */
export function dataCompleta(iso) {
  const data = new Date(iso);
  return Number.isNaN(data.getTime()) ? '' : completa.format(data);
}

/** The room list's last activity: "agora", "há 5 min", "14:05", "ontem 14:05", "22/11 14:05". */
export function atividadeRelativa(iso, agora = new Date()) {
  if (!iso) return 'sem mensagens';
  const data = new Date(iso);
  if (Number.isNaN(data.getTime())) return '';
  const minutos = Math.floor((agora - data) / 60000);
  if (minutos < 1) return 'agora';
  if (minutos < 60) return `há ${minutos} min`;
  return horaDaMensagem(iso, agora);
}

/** Re-renders every <time datetime> under `raiz` with `formatar`. */
export function atualizarHoras(raiz, seletor, formatar) {
  const agora = new Date();
  for (const elemento of raiz.querySelectorAll(seletor)) {
    if (!elemento.dateTime) continue;
    elemento.textContent = formatar(elemento.dateTime, agora);
    elemento.title = dataCompleta(elemento.dateTime);
  }
}
