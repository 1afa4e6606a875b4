class RenameCustomerColumns < ActiveRecord::Migration[7.1]
  def change
    add_column :customers, :first_name, :string
    # ward: expand-contract
    # (fname is written by both releases until 4.0)
    remove_column :customers, :legacy_id
  end
end
