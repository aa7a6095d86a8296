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
