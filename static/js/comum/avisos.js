// Toasts for errors and notices (Bootstrap's toast look, no Bootstrap JS).
// The container in layout.mustache is an aria-live region.

const DURACAO_MS = 7000;

/** Shows `texto` as a toast; tipo 'erro' (default) or 'info'. */
export function avisar(texto, tipo = 'erro') {
  const caixa = document.getElementById('papo-toasts');
  if (!caixa) return;
  const toast = document.createElement('div');
  toast.className = `toast show align-items-center border-0 ${tipo === 'erro' ? 'text-bg-danger' : 'text-bg-dark'}`;
  toast.setAttribute('role', tipo === 'erro' ? 'alert' : 'status');
  const linha = document.createElement('div');
  linha.className = 'd-flex';
  const corpo = document.createElement('div');
  corpo.className = 'toast-body';
  corpo.textContent = texto;
  const fechar = document.createElement('button');
  fechar.type = 'button';
  fechar.className = 'btn-close btn-close-white me-2 m-auto';
  fechar.setAttribute('aria-label', 'Fechar aviso');
  fechar.addEventListener('click', () => toast.remove());
  linha.append(corpo, fechar);
  toast.append(linha);
  caixa.append(toast);
  setTimeout(() => toast.remove(), DURACAO_MS);
}
