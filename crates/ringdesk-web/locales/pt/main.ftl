# Textos da interface do Ringdesk, português.

app-name = Ringdesk
skip-to-content = Saltar para o conteúdo

## Sign-in
sign-in-title = Entrar no Ringdesk
email = E-mail
password = Senha
sign-in-button = Entrar
wrong-email-or-password = E-mail ou senha incorretos.
too-many-attempts = Demasiadas tentativas sem sucesso. Tente novamente dentro de { $minutes } min.
form-unreadable = Não foi possível ler o formulário; envie-o novamente.
no-account-yet = Ainda não tem conta?
sign-up-link = Registe a sua empresa

## Sign-up
sign-up-title = Registe a sua empresa
sign-up-closed = O registo está fechado nesta instalação. Peça uma conta ao administrador, ou entre.
have-account = Já tem conta?
sign-in-link = Entrar
company-name = Nome da empresa
country = País
time-zone = Fuso horário
locale = Idioma
owner-name = O seu nome
sign-up-button = Criar a empresa
choose = Escolha…
field-company_name = Indique o nome da empresa (até 200 caracteres).
field-country = Escolha o país a que pertencem os números de telefone da empresa.
field-time_zone = Escolha um fuso horário da lista (por exemplo Europe/Lisbon).
field-locale = Escolha um dos quatro idiomas.
field-owner_name = Indique o seu nome (até 200 caracteres).
field-email = Indique um endereço de e-mail válido.
field-email-taken = Este endereço de e-mail já tem uma conta.
field-password = A senha deve ter entre 8 e 1000 caracteres.
field-current_password = Esta não é a sua senha atual.
field-new_password = A nova senha deve ter entre 8 e 1000 caracteres.
form-has-errors = Alguns campos precisam de atenção; veja as notas ao lado deles.

## Layout and navigation
nav-label = Principal
nav-home = Início
nav-tasks = Tarefas
nav-password = Senha
sign-out = Sair
signed-out = Terminou a sessão.
language = Idioma
language-change = Mudar
signed-in-as = Sessão iniciada como
company = Empresa
your-permissions = As suas permissões

## Permissions
permission-view_clients = Ver clientes
permission-manage_settings = Gerir definições
permission-view_all_calls = Ver todas as chamadas
permission-manage_employees = Gerir funcionários
permission-post_call_events = Enviar eventos de chamadas

## Password change
password-title = Mudar a sua senha
current-password = Senha atual
new-password = Nova senha
password-button = Mudar a senha
password-changed = A sua senha foi alterada. As suas outras sessões foram terminadas.

## Tasks
tasks-title = As minhas tarefas
tasks-empty = Não tem tarefas.
task-title = Tarefa
task-due = Prazo
task-status = Estado
task-actions = Ações
task-overdue = em atraso
task-no-due = sem prazo
task-complete = Concluir
task-reopen = Reabrir
task-status-open = Aberta
task-status-done = Concluída
task-status-cancelled = Cancelada
task-not-assignee = Só um responsável pode concluir esta tarefa.
task-not-open = Esta tarefa já não está aberta.
task-already-open = Esta tarefa já está aberta.
task-completed = A tarefa está concluída.
task-reopened = A tarefa foi reaberta.

## Navigation, home ("what needs me now"), first-run checklist, notifications
nav-calls = Chamadas
nav-clients = Clientes
nav-leads = Oportunidades
nav-orders = Ordens de serviço
nav-quotes = Orçamentos
nav-notifications = Notificações
nav-settings = Definições
badge-overdue = Atrasado
badge-urgent = Urgente
home-tasks = As minhas tarefas abertas
home-tasks-none = Sem tarefas abertas.
home-missed-none = Ninguém está à espera de retorno.
home-leads = As minhas novas oportunidades
home-leads-none = Sem novas oportunidades.
home-notifications = Notificações por ler
home-notifications-none = Nada por ler.
first-run-title = Primeiros passos
first-run-employees = Adicione funcionários e as suas extensões
first-run-phone-system = Ligue o sistema telefónico
first-run-automation = Ative a automatização
first-run-clients = Adicione ou importe clientes
first-run-done = (feito)
first-run-todo = (por fazer)
first-run-webhook = O seu sistema telefónico envia cada evento de chamada para este endereço, com um token de API que pode publicar eventos de chamadas.
first-run-webhook-url = URL do webhook
first-run-make-token = Criar um token para o sistema telefónico
first-run-token = Token de API
first-run-token-once = Copie o token agora: só é mostrado esta vez.
first-run-curl = Experimente com curl
notification-mark-read = Marcar como lida
notification-mark-read-of = Marcar como lida: { $title }
notifications-title = Notificações
notifications-empty = Ainda não há notificações.
notifications-unread = Por ler
notifications-read = Lida
notifications-when = Quando
notifications-what = O quê
notifications-state = Estado
notifications-choices = Que notificações recebo
notify-new-lead = Uma nova oportunidade para mim
notify-lead-assigned = Uma oportunidade atribuída a mim
notify-lead-overdue = A minha oportunidade está atrasada
notifications-save = Guardar as minhas escolhas
notifications-saved = As suas escolhas foram guardadas.
notification-was-read = Marcada como lida.

# The missed calls widget (R-U3) and recent calls (R-C8).
home-missed = Chamadas perdidas
home-missed-none-at-all = Nenhuma chamada perdida.
home-missed-without-recovered = Sem as retornadas
home-missed-recovered = Retornada
home-missed-waiting = À espera de retorno
home-recent = As minhas chamadas recentes
home-recent-none = Ainda não atendeu nem fez nenhuma chamada.
home-recent-talked = Concluída
home-recent-not-reached = Sem contacto
